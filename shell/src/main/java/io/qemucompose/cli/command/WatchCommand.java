package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.GlobalOptions;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.cli.UserFacingException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code qemu-compose watch}: keep the VMs matching the file. In the foreground until Ctrl-C, or
 * ({@code --detach}) as the background reconciler unit; {@code --stop} ends that unit.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Keep the VMs matching the compose file: every save is planned and applied, and VMs "
                + "that die are brought back by their restart: policy.",
                "Runs in the foreground until Ctrl-C, or in the background with --detach."})
public final class WatchCommand implements Callable<Integer> {

    private final CommandEnvironment env;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ProjectLoading project;

    @Option(names = {"-d", "--detach"}, description = "Run as a background systemd user unit (qemu-compose-<project>-reconciler).")
    private boolean detach;

    @Option(names = "--stop", description = "Stop the background reconciler of this project.")
    private boolean stop;

    @Option(names = "--remove-orphans", description = "Destroy VMs that leave the compose file.")
    private boolean removeOrphans;

    @Option(names = "--resync", defaultValue = "30", paramLabel = "SECONDS",
            description = "Full pass at least this often (default ${DEFAULT-VALUE} s).")
    private long resync;

    @Option(names = "--listen", paramLabel = "127.0.0.1:PORT",
            description = "With --detach: also serve the API on loopback TCP, with a bearer token in .qemu-compose/api.token.")
    private String listen;

    public WatchCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        if (detach && stop) {
            throw new UserFacingException("--detach and --stop exclude each other", ExitCode.USAGE, null);
        }
        if (listen != null && (!detach || !listen.matches("127\\.0\\.0\\.1:\\d{1,5}"))) {
            throw new UserFacingException("--listen needs --detach and takes 127.0.0.1:PORT (the API never listens"
                    + " beyond loopback), found '" + listen + "'", ExitCode.USAGE, null);
        }
        Watching watching = new Watching(env, project.loadFile(List.of(), Map.of()),
                ((GlobalOptions) spec.root().userObject()).projectName(),
                ((GlobalOptions) spec.root().userObject()).profiles(), removeOrphans, resync).listen(listen);
        return stop ? watching.stop() : watching.start(detach);
    }
}
