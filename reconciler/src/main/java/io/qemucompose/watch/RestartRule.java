package io.qemucompose.watch;

import io.qemucompose.spec.RestartPolicy;

/**
 * What the watcher does with a VM that exists but does not run, by its {@code restart:} policy —
 * docker compose's meaning: {@code no} leaves it, {@code on-failure} restarts it only when it
 * ended in failure (killed, crashed, non-zero exit), {@code always} and {@code unless-stopped}
 * restart it whatever the cause. A VM the user stopped stays stopped; except that, as docker's
 * daemon does when it starts, {@code always} also restarts a user-stopped VM on the watcher's
 * first pass ({@code unless-stopped} does not).
 */
public final class RestartRule {

    private RestartRule() {}

    /** How the VM's last run ended, as far as the watcher saw it. */
    public enum Exit {
        /** Unit failed: killed by a signal, non-zero exit. */
        FAILURE,
        /** Exited with success, e.g. the guest powered off. */
        CLEAN,
        /** Not seen (the unit was already collected, or it ended before the watcher ran): counts as a failure. */
        UNKNOWN
    }

    public record Decision(boolean start, String reason, String message) {}

    public static Decision decide(RestartPolicy policy, Exit exit, boolean stoppedByUser, boolean firstPass) {
        if (stoppedByUser && !(policy == RestartPolicy.ALWAYS && firstPass)) {
            return new Decision(false, "StoppedByUser", "stopped by `qemu-compose stop`; `up` starts it again");
        }
        return switch (policy) {
            case NO -> new Decision(false, "RestartPolicyNo", "not running and restart: no");
            case ON_FAILURE -> exit == Exit.CLEAN
                    ? new Decision(false, "ExitedCleanly", "exited cleanly and restart: on-failure")
                    : new Decision(true, "Restarting", "ended in failure (" + word(exit) + "), restart: on-failure");
            case ALWAYS, UNLESS_STOPPED -> new Decision(true, "Restarting",
                    "not running (" + word(exit) + "), restart: " + policy.yamlName());
        };
    }

    private static String word(Exit exit) {
        return switch (exit) {
            case FAILURE -> "failed";
            case CLEAN -> "exited";
            case UNKNOWN -> "gone";
        };
    }
}
