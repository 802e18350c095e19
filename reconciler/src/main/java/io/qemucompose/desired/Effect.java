package io.qemucompose.desired;

/** What changing a field costs a running VM. Ordered from cheapest to most expensive. */
public enum Effect {
    /** Recorded only; the VM is not touched. */
    NONE,
    /** The VM must be stopped and started again (QEMU arguments or a new cloud-init instance). */
    RESTART,
    /** The instance disk must be thrown away and created again. */
    REPLACE
}
