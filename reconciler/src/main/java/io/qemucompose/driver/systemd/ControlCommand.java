package io.qemucompose.driver.systemd;

import java.util.List;

/**
 * A command systemd runs for a unit besides its main process: a control process ({@code ExecStartPre=},
 * {@code ExecStopPost=}).
 *
 * @param argv          argv[0] must be an absolute path (systemd does no PATH lookup here)
 * @param ignoreFailure the unit-file {@code -} prefix: a failing exit status does not fail the unit
 */
public record ControlCommand(List<String> argv, boolean ignoreFailure) {

    public ControlCommand {
        if (argv.isEmpty() || !argv.getFirst().startsWith("/")) {
            throw new IllegalArgumentException("a unit command needs an absolute program path, got " + argv);
        }
        argv = List.copyOf(argv);
    }
}
