package io.qemucompose.driver.qemu;

import java.time.Duration;

/**
 * Stop step: SIGTERM to QEMU, which then stops like a host shutting down (the guest gets no chance to
 * sync its disks). A reconciler running QEMU in a systemd unit stops the unit instead.
 */
public record SigtermStop(ProcessHandle qemu) implements StopStep {

    @Override
    public String name() {
        return "sigterm";
    }

    @Override
    public boolean attempt(Duration deadline) {
        if (qemu.isAlive()) {
            qemu.destroy();
        }
        return VmExitWatch.process(qemu).awaitExit(deadline);
    }
}
