package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.VersionInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code qemu-compose version}: the version, and the Java runtime and OS it runs on. */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = "Show the qemu-compose version and the runtime it uses.")
public final class VersionCommand implements Callable<Integer> {

    private final CommandEnvironment environment;

    @Option(names = "--short", description = "Print only the version number.")
    private boolean shortForm;

    public VersionCommand(CommandEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        var out = environment.out();
        VersionInfo info = VersionInfo.current();
        if (shortForm) {
            out.println(info.version());
            return ExitCode.OK;
        }
        out.println(info.oneLine());
        out.println("Java: " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.home") + ")");
        out.println("OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        return ExitCode.OK;
    }
}
