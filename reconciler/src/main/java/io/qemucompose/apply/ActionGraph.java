package io.qemucompose.apply;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A directed acyclic graph of work items keyed by id: each node names the ids it waits for.
 * Kept generic so the same executor runs reconcile actions and tests run it on plain tasks.
 */
public final class ActionGraph<T> {

    public record Node<T>(String id, T payload, List<String> dependsOn) {
        public Node {
            dependsOn = List.copyOf(dependsOn);
        }
    }

    private final Map<String, Node<T>> nodes = new LinkedHashMap<>();
    private final Set<String> done = new HashSet<>();

    public ActionGraph<T> add(String id, T payload, List<String> dependsOn) {
        if (nodes.containsKey(id)) {
            throw new IllegalArgumentException("duplicate action id " + id);
        }
        nodes.put(id, new Node<>(id, payload, dependsOn));
        return this;
    }

    /**
     * Declares work that is already done (outside this graph): nodes may wait for it. A node
     * waiting for an id that is neither a node nor declared done is refused, so a misspelt
     * dependency cannot silently drop an ordering edge.
     */
    public ActionGraph<T> declareDone(String id) {
        done.add(id);
        return this;
    }

    public List<Node<T>> nodes() {
        return List.copyOf(nodes.values());
    }

    public boolean isEmpty() {
        return nodes.isEmpty();
    }

    public int size() {
        return nodes.size();
    }

    /** Nodes in a dependency-respecting order (stable: insertion order among ready nodes). */
    public List<Node<T>> topologicalOrder() {
        validate();
        List<Node<T>> order = new ArrayList<>();
        Set<String> done = new HashSet<>();
        while (order.size() < nodes.size()) {
            boolean progressed = false;
            for (Node<T> n : nodes.values()) {
                if (!done.contains(n.id()) && done.containsAll(presentDeps(n))) {
                    order.add(n);
                    done.add(n.id());
                    progressed = true;
                }
            }
            if (!progressed) {
                throw new IllegalStateException("cycle among actions");
            }
        }
        return order;
    }

    /** Dependencies that are part of this graph (those declared done are met already). */
    List<String> presentDeps(Node<T> n) {
        List<String> deps = new ArrayList<>();
        for (String d : n.dependsOn()) {
            if (nodes.containsKey(d)) {
                deps.add(d);
            } else if (!done.contains(d)) {
                throw new IllegalStateException("action " + n.id() + " waits for " + d
                        + ", which is neither in the graph nor declared done");
            }
        }
        return deps;
    }

    Map<String, List<String>> dependents() {
        Map<String, List<String>> out = new HashMap<>();
        for (Node<T> n : nodes.values()) {
            for (String d : presentDeps(n)) {
                out.computeIfAbsent(d, k -> new ArrayList<>()).add(n.id());
            }
        }
        out.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return out;
    }

    void validate() {
        Map<String, Integer> state = new HashMap<>();
        for (String id : nodes.keySet()) {
            visit(id, state);
        }
    }

    private void visit(String id, Map<String, Integer> state) {
        Integer s = state.get(id);
        if (s != null && s == 2) {
            return;
        }
        if (s != null && s == 1) {
            throw new IllegalStateException("cycle among actions at " + id);
        }
        state.put(id, 1);
        for (String d : presentDeps(nodes.get(id))) {
            visit(d, state);
        }
        state.put(id, 2);
    }
}
