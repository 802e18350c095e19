package io.qemucompose.plan;

import java.util.List;

/**
 * The difference between the file and the world: per-VM changes for people, and the actions
 * (a DAG through {@link Action#dependsOn()}) that remove it.
 *
 * @param fingerprint hash of every input the plan was made from; a saved plan is applied only
 *     while the fingerprint of a fresh plan is the same
 */
public record Plan(String project, PlanOptions options, List<VmChange> changes, List<Action> actions,
        String fingerprint) {

    public Plan {
        changes = List.copyOf(changes);
        actions = List.copyOf(actions);
    }

    /** True when an action changes the world; waiting for readiness alone is no change. */
    public boolean hasChanges() {
        return actions.stream().anyMatch(a -> !(a instanceof Action.AwaitReady));
    }

    public int toAdd() {
        return count(VmChange.Kind.CREATE) + count(VmChange.Kind.REPLACE);
    }

    public int toChange() {
        return count(VmChange.Kind.UPDATE) + count(VmChange.Kind.RESTART) + count(VmChange.Kind.START) + count(VmChange.Kind.STOP);
    }

    public int toDestroy() {
        return count(VmChange.Kind.DESTROY) + count(VmChange.Kind.REPLACE);
    }

    private int count(VmChange.Kind kind) {
        return (int) changes.stream().filter(c -> c.kind() == kind).count();
    }
}
