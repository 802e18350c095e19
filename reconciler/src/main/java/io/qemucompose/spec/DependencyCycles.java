package io.qemucompose.spec;

import io.qemucompose.spec.SourceNode.Pos;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds cycles in {@code depends_on}. Each cycle is reported once, at the {@code depends_on}
 * entry that closes it, naming every VM on it: {@code web -> db -> web}.
 */
final class DependencyCycles {
    private enum Mark { VISITING, DONE }

    private final Fields fields;

    DependencyCycles(Fields fields) {
        this.fields = fields;
    }

    /** @param edges VM name → (dependency name → position of that depends_on entry), file order */
    void check(Map<String, Map<String, Pos>> edges) {
        Map<String, Mark> marks = new HashMap<>();
        for (String vm : edges.keySet()) {
            visit(vm, edges, marks, new ArrayList<>());
        }
    }

    private void visit(String vm, Map<String, Map<String, Pos>> edges, Map<String, Mark> marks, List<String> stack) {
        if (marks.get(vm) == Mark.DONE) {
            return;
        }
        marks.put(vm, Mark.VISITING);
        stack.add(vm);
        for (Map.Entry<String, Pos> edge : edges.getOrDefault(vm, Map.of()).entrySet()) {
            String dependency = edge.getKey();
            if (dependency.equals(vm) || !edges.containsKey(dependency)) {
                continue; // self and unknown references are reported where they are read
            }
            if (marks.get(dependency) == Mark.VISITING) {
                List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(dependency), stack.size()));
                cycle.add(dependency);
                fields.problem(edge.getValue(), "vms." + vm + ".depends_on." + dependency,
                        "depends_on forms a cycle: " + String.join(" -> ", cycle));
            } else {
                visit(dependency, edges, marks, stack);
            }
        }
        stack.removeLast();
        marks.put(vm, Mark.DONE);
    }
}
