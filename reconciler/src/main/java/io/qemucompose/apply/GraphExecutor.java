package io.qemucompose.apply;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs an {@link ActionGraph}: every node starts on its own virtual thread as soon as all its
 * dependencies succeeded, so independent branches (two VMs) proceed in parallel. A failed node
 * skips everything downstream of it but lets unrelated branches finish.
 */
public final class GraphExecutor {

    public interface Work<T> {
        void run(T payload) throws Exception;
    }

    public interface Listener<T> {
        default void started(ActionGraph.Node<T> node) {}

        default void finished(ActionGraph.Node<T> node, Outcome outcome) {}
    }

    public sealed interface Outcome {
        record Succeeded(long millis) implements Outcome {}

        record Failed(Exception error, long millis) implements Outcome {}

        record Skipped(String becauseOf) implements Outcome {}
    }

    public record Report(Map<String, Outcome> outcomes) {
        public boolean allSucceeded() {
            return outcomes.values().stream().allMatch(o -> o instanceof Outcome.Succeeded);
        }

        public List<String> failed() {
            List<String> ids = new ArrayList<>();
            outcomes.forEach((id, o) -> {
                if (o instanceof Outcome.Failed) {
                    ids.add(id);
                }
            });
            return ids;
        }
    }

    private record Done(String id, Outcome outcome) {}

    public <T> Report execute(ActionGraph<T> graph, Work<T> work, Listener<T> listener) throws InterruptedException {
        List<ActionGraph.Node<T>> order = graph.topologicalOrder();
        Map<String, ActionGraph.Node<T>> byId = new LinkedHashMap<>();
        Map<String, Integer> pending = new HashMap<>();
        for (ActionGraph.Node<T> n : order) {
            byId.put(n.id(), n);
            pending.put(n.id(), graph.presentDeps(n).size());
        }
        Map<String, List<String>> dependents = graph.dependents();
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        BlockingQueue<Done> done = new LinkedBlockingQueue<>();
        int running = 0;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ActionGraph.Node<T> n : order) {
                if (pending.get(n.id()) == 0) {
                    submit(pool, n, work, listener, done);
                    running++;
                }
            }
            while (running > 0) {
                Done d = done.take();
                running--;
                outcomes.put(d.id(), d.outcome());
                listener.finished(byId.get(d.id()), d.outcome());
                for (String next : dependents.getOrDefault(d.id(), List.of())) {
                    if (d.outcome() instanceof Outcome.Succeeded) {
                        int left = pending.merge(next, -1, Integer::sum);
                        if (left == 0 && !outcomes.containsKey(next)) {
                            submit(pool, byId.get(next), work, listener, done);
                            running++;
                        }
                    } else {
                        skipDownstream(next, d.id(), dependents, outcomes, byId, listener);
                    }
                }
            }
        }
        // preserve plan order in the report
        Map<String, Outcome> ordered = new LinkedHashMap<>();
        for (ActionGraph.Node<T> n : order) {
            Outcome o = outcomes.get(n.id());
            ordered.put(n.id(), o == null ? new Outcome.Skipped("not reached") : o);
        }
        return new Report(ordered);
    }

    private <T> void skipDownstream(String id, String cause, Map<String, List<String>> dependents,
            Map<String, Outcome> outcomes, Map<String, ActionGraph.Node<T>> byId, Listener<T> listener) {
        if (outcomes.containsKey(id)) {
            return;
        }
        Outcome skipped = new Outcome.Skipped(cause);
        outcomes.put(id, skipped);
        listener.finished(byId.get(id), skipped);
        for (String next : dependents.getOrDefault(id, List.of())) {
            skipDownstream(next, cause, dependents, outcomes, byId, listener);
        }
    }

    private static <T> void submit(ExecutorService pool, ActionGraph.Node<T> node, Work<T> work,
            Listener<T> listener, BlockingQueue<Done> done) {
        pool.submit(() -> {
            long start = System.nanoTime();
            listener.started(node);
            Outcome outcome;
            try {
                work.run(node.payload());
                outcome = new Outcome.Succeeded((System.nanoTime() - start) / 1_000_000);
            } catch (Exception e) {
                outcome = new Outcome.Failed(e, (System.nanoTime() - start) / 1_000_000);
            }
            done.add(new Done(node.id(), outcome));
        });
    }
}
