package io.qemucompose.driver.qemu;

import java.time.Duration;

/**
 * One way of stopping a VM (guest agent, ACPI, SSH poweroff, SIGTERM). {@link StopChain} tries them in order.
 */
public interface StopStep {

    /** A short name for reports, e.g. {@code guest-agent}, {@code acpi}, {@code ssh-poweroff}, {@code sigterm}. */
    String name();

    /**
     * Asks the VM to stop and waits until QEMU has exited.
     *
     * @param deadline how long this step may take in total, including the wait
     * @return true when QEMU exited within the deadline; false when it did not (or the step could not be
     *         tried, e.g. no guest agent). Exceptions are reported by the chain as this step's failure.
     */
    boolean attempt(Duration deadline);
}
