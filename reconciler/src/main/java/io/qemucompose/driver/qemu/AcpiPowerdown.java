package io.qemucompose.driver.qemu;

import java.time.Duration;

/**
 * Stop step: the ACPI power button ({@code system_powerdown} over QMP). The guest must listen for it
 * (systemd-logind or acpid). A press that arrives before that listener runs (late boot) is lost, so
 * the button is pressed again every {@code repressInterval} until the deadline.
 */
public record AcpiPowerdown(QmpClient qmp, VmExitWatch exit, Duration repressInterval) implements StopStep {

    public AcpiPowerdown(QmpClient qmp, VmExitWatch exit) {
        this(qmp, exit, Duration.ofSeconds(15));
    }

    @Override
    public String name() {
        return "acpi";
    }

    @Override
    public boolean attempt(Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            qmp.systemPowerdown();
            long left = end - System.nanoTime();
            if (exit.awaitExit(Duration.ofNanos(Math.max(0, Math.min(left, repressInterval.toNanos()))))) {
                return true;
            }
            if (end - System.nanoTime() <= 0) {
                return false;
            }
        }
    }
}
