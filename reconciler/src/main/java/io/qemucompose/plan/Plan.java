package io.qemucompose.plan;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The difference between the file and the world: one {@link ResourceChange} per resource for
 * people, and the actions (a DAG through {@link Action#dependsOn()}) that remove it.
 *
 * @param satisfied actions that other actions may wait for but that need not run: the planner
 *     found their resource already as wanted (a VM running unchanged, a volume of the right size)
 * @param fingerprint hash of every input the plan was made from; a saved plan is applied only
 *     while the fingerprint of a fresh plan is the same
 */
public record Plan(String project, PlanOptions options, List<ResourceChange> changes, List<Action> actions,
        Set<ActionId> satisfied, String fingerprint) {

    public Plan {
        changes = List.copyOf(changes);
        actions = List.copyOf(actions);
        satisfied = Set.copyOf(satisfied);
        Set<ActionId> known = new HashSet<>(satisfied);
        actions.forEach(a -> known.add(a.id()));
        for (Action a : actions) {
            for (ActionId d : a.dependsOn()) {
                if (!known.contains(d)) {
                    throw new IllegalStateException("action " + a.id() + " waits for " + d
                            + ", which is neither planned nor declared done");
                }
            }
        }
    }

    /** True when an action changes the world; waiting for readiness alone is no change. */
    public boolean hasChanges() {
        return actions.stream().anyMatch(a -> !(a instanceof Action.AwaitReady));
    }

    /** The changes of VMs only, in plan order. */
    public List<ResourceChange> vmChanges() {
        return changes.stream().filter(ResourceChange::isVm).toList();
    }

    public int toAdd() {
        return count(ResourceChange.Kind.CREATE) + count(ResourceChange.Kind.REPLACE);
    }

    public int toChange() {
        return count(ResourceChange.Kind.UPDATE) + count(ResourceChange.Kind.RESTART) + count(ResourceChange.Kind.START)
                + count(ResourceChange.Kind.STOP) + count(ResourceChange.Kind.SUSPEND)
                + count(ResourceChange.Kind.RESUME) + count(ResourceChange.Kind.BOOT);
    }

    public int toDestroy() {
        return count(ResourceChange.Kind.DESTROY) + count(ResourceChange.Kind.REPLACE);
    }

    private int count(ResourceChange.Kind kind) {
        return (int) changes.stream().filter(c -> c.kind() == kind).count();
    }
}
