package io.qemucompose.cli.command;

import io.qemucompose.driver.Drivers;
import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.UserFacingException;
import io.qemucompose.driver.systemd.JobResult;
import io.qemucompose.driver.systemd.SystemdUserManager;
import io.qemucompose.driver.systemd.UnitManager;
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
import java.util.Optional;

/**
 * Starts the watch loop for a loaded project, in the foreground or as the background reconciler
 * unit, and stops that unit: shared by {@code watch} and {@code up --watch}.
 */
final class Watching {

    private final CommandEnvironment env;
    private final ComposeProject compose;
    private final Optional<String> projectNameFlag;
    private final boolean removeOrphans;
    private final long resync;
    private final List<String> profiles;

    /** @param profiles the {@code --profile} values, which every pass of the loop loads the file with */
    Watching(CommandEnvironment env, ComposeProject compose, Optional<String> projectNameFlag, List<String> profiles,
            boolean removeOrphans, long resyncSeconds) {
        if (resyncSeconds < 1) {
            throw new UserFacingException("--resync needs at least 1 second", ExitCode.USAGE, null);
        }
        this.env = env;
        this.compose = compose;
        this.projectNameFlag = projectNameFlag;
        this.removeOrphans = removeOrphans;
        this.resync = resyncSeconds;
        this.profiles = List.copyOf(profiles);
    }

    /** Runs the loop here until Ctrl-C, or ({@code detach}) starts the reconciler unit and returns. */
    int start(boolean detach) throws Exception {
        ProjectLayout layout = new ProjectLayout(compose.projectDir());
        String unit = ReconcilerUnit.unitName(compose.name());
        try (Drivers drivers = Drivers.forUser(env.env())) {
            UnitManager systemd = drivers.systemd();
            UnitStatus current = systemd.unit(unit);
            if (current.loaded() && !current.isStopped()) {
                throw new UserFacingException("a background reconciler already runs for project " + compose.name()
                        + " (unit " + unit + "); `qemu-compose watch --stop` ends it");
            }
            return detach ? detach(systemd, compose, layout, unit, current) : foreground(drivers, compose);
        }
    }

    int stop() {
        String unit = ReconcilerUnit.unitName(compose.name());
        try (Drivers drivers = Drivers.forUser(env.env())) {
            return stop(drivers.systemd(), unit, drivers.systemd().unit(unit));
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

    private String listen;

    /** The daemon's loopback TCP listener ({@code 127.0.0.1:PORT}), or null for the Unix socket only. */
    Watching listen(String address) {
        this.listen = address;
        return this;
    }

    private int detach(UnitManager systemd, ComposeProject compose, ProjectLayout layout, String unit,
            UnitStatus current) throws java.io.IOException {
        if (current.isFailed()) {
            systemd.resetFailed(unit);
        }
        // systemd opens the log file (append:) but does not create its folder
        layout.createStateDir();
        List<String> args = new ArrayList<>();
        List<String> files = fileFlags(compose.files());
        if (!files.isEmpty()) {
            args.add("--qemucompose.watch.files=" + String.join(",", files));
        }
        projectNameFlag
                .ifPresent(p -> args.add("--qemucompose.watch.project-name=" + p));
        if (!profiles.isEmpty()) {
            args.add("--qemucompose.watch.profiles=" + String.join(",", profiles));
        }
        args.add("--qemucompose.watch.remove-orphans=" + removeOrphans);
        args.add("--qemucompose.watch.resync=" + resync + "s");
        if (listen != null) {
            args.add("--qemucompose.api.listen=" + listen);
        }
        JobResult job = systemd.startTransientUnit(ReconcilerUnit.of(compose.name(), layout,
                ReconcilerUnit.javaCommand(env.env()), args, env.env(), compose.files()), Duration.ofSeconds(30));
        if (!job.done()) {
            throw new UserFacingException("systemd could not start " + unit + ": job " + job.result()
                    + "; see " + layout.reconcilerLog());
        }
        env.out().println("✓ Background reconciler started: unit " + unit.replace(".service", ""));
        env.out().println("  Log: " + compose.projectDir().relativize(layout.reconcilerLog()));
        env.out().println("  Status: qemu-compose status    Stop: qemu-compose watch --stop");
        return ExitCode.OK;
    }

    private int stop(UnitManager systemd, String unit, UnitStatus current) {
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
        return WatchOptions.of(files, env.cwd(), projectNameFlag, env.env(), removeOrphans,
                Duration.ofSeconds(resync), mode).withProfiles(profiles);
    }
}
