package io.qemucompose.cli.command;

import io.qemucompose.cli.ExitCode;
import io.qemucompose.driver.systemd.UnitStatus;
import java.util.Optional;

/**
 * How a VM's unit ended, for {@code wait}: systemd's Result ("success", "signal", "exit-code", …).
 * A stopped unit is collected at once (CollectMode=inactive-or-failed), so its Result comes from
 * the last change signal when the unit itself is gone.
 *
 * @param wasRunning false when the unit did not run when {@code wait} began
 */
record UnitEnd(String vm, String result, boolean wasRunning) {

    static UnitEnd of(String vm, UnitStatus stopped, Optional<String> signalled, boolean wasRunning) {
        String result;
        if (stopped.loaded() && !stopped.result().isEmpty()) {
            result = stopped.result();
        } else if (signalled.isPresent()) {
            result = signalled.get();
        } else if (stopped.isFailed()) {
            result = "failed";
        } else {
            result = wasRunning ? "unknown" : "success";
        }
        return new UnitEnd(vm, result, wasRunning);
    }

    int exitCode() {
        return "success".equals(result) ? ExitCode.OK : ExitCode.ERROR;
    }

    String line() {
        return vm + ": " + (wasRunning ? "stopped, " : "not running, ") + "result " + result
                + " (exit " + exitCode() + ")";
    }
}
