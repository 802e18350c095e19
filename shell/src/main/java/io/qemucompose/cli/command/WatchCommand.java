package io.qemucompose.cli.command;

import io.qemucompose.apply.Drivers;
import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.GlobalOptions;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.cli.UserFacingException;
import io.qemucompose.driver.systemd.JobResult;
import io.qemucompose.driver.systemd.SystemdUserManager;
import io.qemucompose.driver.systemd.UnitStatus;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.watch.ReconcilerUnit;
import io.qemucompose.watch.WatchLoop;
import io.qemucompose.watch.WatchOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    public WatchCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        if (detach && stop) {
            throw new UserFacingException("--detach and --stop exclude each other", ExitCode.USAGE, null);
        }
        if (resync < 1) {
            throw new UserFacingException("--resync needs at least 1 second", ExitCode.USAGE, null);
        }
        ComposeProject compose = project.load();
        ProjectLayout layout = new ProjectLayout(compose.projectDir());
        String unit = ReconcilerUnit.unitName(compose.name());
        try (Drivers drivers = Drivers.forUser(env.env())) {
            SystemdUserManager systemd = drivers.systemd();
            UnitStatus current = systemd.unit(unit);
            if (stop) {
                return stop(systemd, unit, current);
            }
            if (current.loaded() && !current.isStopped()) {
                throw new UserFacingException("a background reconciler already runs for project " + compose.name()
                        + " (unit " + unit + "); `qemu-compose watch --stop` ends it");
            }
            if (detach) {
                return detach(systemd, compose, layout, unit, current);
            }
            return foreground(drivers, compose);
        }
    }

    private int foreground(Drivers drivers, ComposeProject compose) throws InterruptedException {
        WatchLoop loop = new WatchLoop(options(fileFlags(compose.files()), "foreground"), drivers, line -> {
            env.out().println(line);
            env.out().flush();
        });
        Thread hook = new Thread(() -> {
            loop.stop();
            try {
                loop.awaitFinished(Duration.ofSeconds(100));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            loop.run();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running
            }
        }
        return ExitCode.OK;
    }

    private int detach(SystemdUserManager systemd, ComposeProject compose, ProjectLayout layout, String unit,
            UnitStatus current) throws java.io.IOException {
        if (current.isFailed()) {
            systemd.resetFailed(unit);
        }
        // systemd opens the log file (append:) but does not create its folder
        java.nio.file.Files.createDirectories(layout.stateDir());
        List<String> args = new ArrayList<>();
        List<String> files = fileFlags(compose.files());
        if (!files.isEmpty()) {
            args.add("--qemucompose.watch.files=" + String.join(",", files));
        }
        ((GlobalOptions) spec.root().userObject()).projectName()
                .ifPresent(p -> args.add("--qemucompose.watch.project-name=" + p));
        args.add("--qemucompose.watch.remove-orphans=" + removeOrphans);
        args.add("--qemucompose.watch.resync=" + resync + "s");
        JobResult job = systemd.startTransientUnit(ReconcilerUnit.of(compose.name(), layout,
                ReconcilerUnit.javaCommand(env.env()), args, env.env()), Duration.ofSeconds(30));
        if (!job.done()) {
            throw new UserFacingException("systemd could not start " + unit + ": job " + job.result()
                    + "; see " + layout.reconcilerLog());
        }
        env.out().println("✓ Background reconciler started: unit " + unit.replace(".service", ""));
        env.out().println("  Log: " + compose.projectDir().relativize(layout.reconcilerLog()));
        env.out().println("  Status: qemu-compose status    Stop: qemu-compose watch --stop");
        return ExitCode.OK;
    }

    private int stop(SystemdUserManager systemd, String unit, UnitStatus current) {
        if (!current.loaded()) {
            env.out().println("No background reconciler runs for this project.");
            return ExitCode.OK;
        }
        systemd.stopUnit(unit, Duration.ofSeconds(150));
        // a failed unit stays loaded under its name until reset: leave nothing behind
        systemd.resetFailed(unit);
        env.out().println("✓ Background reconciler stopped");
        return ExitCode.OK;
    }

    /** The loaded files, absolute: the daemon runs elsewhere and reloads exactly these. */
    private static List<String> fileFlags(List<Path> files) {
        return files.stream().map(Path::toString).toList();
    }

    private WatchOptions options(List<String> files, String mode) {
        return WatchOptions.of(files, env.cwd(),
                ((GlobalOptions) spec.root().userObject()).projectName(), env.env(), removeOrphans,
                Duration.ofSeconds(resync), mode);
    }
}
