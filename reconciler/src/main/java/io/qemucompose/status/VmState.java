package io.qemucompose.status;

/** What {@code ps} and {@code inspect} say about a VM, as the seed README names the states. */
public enum VmState {
    /** No instance (no overlay disk, no unit). */
    NOT_CREATED("not-created"),
    /** The instance exists, its unit does not run. */
    STOPPED("stopped"),
    /** Not running; its RAM and device state is saved next to its disk and {@code up} resumes it. */
    SUSPENDED("suspended"),
    /** The unit runs; SSH or cloud-init is not there yet. */
    STARTING("starting"),
    /** SSH accepts the project key and cloud-init finished on this boot. */
    READY("ready"),
    /** The unit runs, the guest's CPUs are frozen ({@code qemu-compose pause}). */
    PAUSED("paused"),
    /** The unit runs; readiness was not probed ({@code --no-probe}, or no way to probe). */
    ACTIVE("active"),
    /** Could not be determined (systemd unreachable, host key mismatch). */
    UNKNOWN("unknown"),
    /** The unit failed, or cloud-init reported errors. */
    FAILED("failed");

    private final String label;

    VmState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
