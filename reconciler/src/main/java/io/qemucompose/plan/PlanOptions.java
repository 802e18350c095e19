package io.qemucompose.plan;

import java.time.Duration;
import java.util.List;

/**
 * @param selected VM names given on the command line; empty means every VM in the file
 * @param removeOrphans destroy instances whose VM is no longer in the file
 * @param pull when base images are downloaded ({@code --pull always|missing|never})
 * @param waitReady add a readiness step after each start ({@code up} without {@code --no-wait})
 * @param forceStop skip the graceful part of stopping
 * @param stopTimeout how long a graceful stop may take before SIGTERM
 * @param restartRunning stop and start the selected VMs that run ({@code restart}), even when nothing changed
 * @param existingOnly never create or replace a VM: one without an instance, or whose change forces
 *        replacement, is refused ({@code start}, {@code restart})
 */
public record PlanOptions(Intent intent, List<String> selected, boolean removeOrphans, PullPolicy pull,
        boolean waitReady, boolean forceStop, Duration stopTimeout, boolean restartRunning, boolean existingOnly) {

    public PlanOptions {
        selected = List.copyOf(selected);
    }

    public PlanOptions(Intent intent, List<String> selected, boolean removeOrphans, PullPolicy pull,
            boolean waitReady, boolean forceStop, Duration stopTimeout) {
        this(intent, selected, removeOrphans, pull, waitReady, forceStop, stopTimeout, false, false);
    }

    public static PlanOptions running() {
        return new PlanOptions(Intent.RUNNING, List.of(), false, PullPolicy.MISSING, false, false, Duration.ofSeconds(60));
    }

    public PlanOptions withIntent(Intent i) {
        return new PlanOptions(i, selected, removeOrphans, pull, waitReady, forceStop, stopTimeout, restartRunning,
                existingOnly);
    }

    public PlanOptions withSelected(List<String> vms) {
        return new PlanOptions(intent, vms, removeOrphans, pull, waitReady, forceStop, stopTimeout, restartRunning,
                existingOnly);
    }

    public PlanOptions withRemoveOrphans(boolean b) {
        return new PlanOptions(intent, selected, b, pull, waitReady, forceStop, stopTimeout, restartRunning,
                existingOnly);
    }

    /** True unless {@code --pull never}: a missing image may be downloaded. */
    public boolean pullMissing() {
        return pull != PullPolicy.NEVER;
    }

    public PlanOptions withPullMissing(boolean b) {
        return withPull(b ? PullPolicy.MISSING : PullPolicy.NEVER);
    }

    public PlanOptions withPull(PullPolicy policy) {
        return new PlanOptions(intent, selected, removeOrphans, policy, waitReady, forceStop, stopTimeout,
                restartRunning, existingOnly);
    }

    public PlanOptions withWaitReady(boolean b) {
        return new PlanOptions(intent, selected, removeOrphans, pull, b, forceStop, stopTimeout, restartRunning,
                existingOnly);
    }

    public PlanOptions withForceStop(boolean b, Duration timeout) {
        return new PlanOptions(intent, selected, removeOrphans, pull, waitReady, b, timeout, restartRunning,
                existingOnly);
    }

    /** {@code start}: only VMs that exist. */
    public PlanOptions withExistingOnly(boolean b) {
        return new PlanOptions(intent, selected, removeOrphans, pull, waitReady, forceStop, stopTimeout,
                restartRunning, b);
    }

    /** {@code restart}: running selected VMs are stopped and started again; implies {@link #existingOnly}. */
    public PlanOptions withRestartRunning(boolean b) {
        return new PlanOptions(intent, selected, removeOrphans, pull, waitReady, forceStop, stopTimeout, b,
                existingOnly || b);
    }
}
