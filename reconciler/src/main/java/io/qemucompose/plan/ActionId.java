package io.qemucompose.plan;

import java.util.Locale;

/**
 * The id of an action: a step applied to a resource ({@code start:vm.web},
 * {@code ensure:volume.data}). Ids are values built from the step and the address, never
 * hand-written strings, so a dependency cannot name an action that does not exist by a typo.
 */
public record ActionId(Step step, Address target) {

    public enum Step {
        SSH_KEY, PULL, LEASE_PORT, STOP, REMOVE, OVERLAY, RESIZE, SEED, START, RECORD, READY,
        /** Creates or grows a volume, creates or repairs a network: whatever makes it match. */
        ENSURE,
        /** Saves a running VM's RAM and device state and stops it; deletes a saved state no longer wanted. */
        SUSPEND, DROP_STATE;

        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public static ActionId of(Step step, Address target) {
        return new ActionId(step, target);
    }

    public static ActionId vm(Step step, String vm) {
        return new ActionId(step, Address.vm(vm));
    }

    @Override
    public String toString() {
        return step.word() + ":" + target;
    }
}
