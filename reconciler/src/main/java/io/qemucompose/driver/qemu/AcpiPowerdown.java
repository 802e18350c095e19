package io.qemucompose.driver.qemu;

import java.time.Duration;

/**
 * Stop step: the ACPI power button ({@code system_powerdown} over QMP). The guest must listen for it
 * (systemd-logind / acpid do); a guest still in its boot loader ignores it.
 */
public record AcpiPowerdown(QmpClient qmp, VmExitWatch exit) implements StopStep {

    @Override
    public String name() {
        return "acpi";
    }

    @Override
    public boolean attempt(Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        qmp.systemPowerdown();
        return exit.awaitExit(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
    }
}
