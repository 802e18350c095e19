package io.qemucompose.driver.systemd.dbus;

import java.util.List;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;

/**
 * One ExecStart= command, D-Bus signature {@code (sasb)}: the binary, the full argv (argv[0]
 * included) and whether a failing exit status is ignored.
 */
public final class ExecCommandStruct extends Struct {
    @Position(0)
    public final String path;
    @Position(1)
    public final List<String> argv;
    @Position(2)
    public final boolean ignoreFailure;

    public ExecCommandStruct(String path, List<String> argv, boolean ignoreFailure) {
        this.path = path;
        this.argv = argv;
        this.ignoreFailure = ignoreFailure;
    }
}
