package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.UserFacingException;
import io.qemucompose.driver.Drivers;
import io.qemucompose.driver.net.PortLeases;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code qemu-compose info paths}: where qemu-compose keeps things (qvm's {@code config print-path}). */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show where qemu-compose keeps its files: info paths.")
public final class InfoCommand implements Callable<Integer> {

    private final CommandEnvironment env;

    @Parameters(paramLabel = "WHAT", description = "paths: the image cache, the data folder, run's VMs, the registries.")
    private String what;

    public InfoCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        if (!"paths".equals(what)) {
            throw new UserFacingException("unknown info '" + what + "'; allowed: paths", ExitCode.USAGE, null);
        }
        Path home = home(env);
        Path images = Drivers.imageCacheDir(env.env(), home);
        env.out().println("images:     " + images);
        env.out().println("data:       " + images.getParent());
        env.out().println("run:        " + RunCommand.runDir(env));
        env.out().println("registries: " + PortLeases.defaultRegistryDir(env.env(), home));
        return ExitCode.OK;
    }

    static Path home(CommandEnvironment env) {
        return Path.of(env.env().getOrDefault("HOME", System.getProperty("user.home")));
    }
}
