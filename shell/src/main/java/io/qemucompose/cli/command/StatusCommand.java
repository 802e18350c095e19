package io.qemucompose.cli.command;

import io.qemucompose.driver.Drivers;
import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.driver.systemd.UnitStatus;
import io.qemucompose.spec.ComposeFileException;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.watch.Condition;
import io.qemucompose.watch.ReconcilerUnit;
import io.qemucompose.watch.WatchStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code qemu-compose status}: whether the background reconciler runs, its last pass, and each
 * VM's conditions as the watcher last saw them. Works while the compose file is invalid (that is
 * when it is most useful): the project folder then comes from the file's location.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the background reconciler, its last pass, and each VM's conditions.")
public final class StatusCommand implements Callable<Integer> {

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT", description = "table or json.")
    private String format;

    public StatusCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        ProjectLayout layout = new ProjectLayout(project.locate().projectDir());
        var status = WatchStatus.read(layout);
        String name;
        try {
            ComposeProject compose = project.load();
            name = compose.name();
        } catch (ComposeFileException e) {
            name = status.map(WatchStatus::project).filter(p -> !p.equals("unknown"))
                    .orElse(layout.projectDir().getFileName().toString());
        }
        String unit = ReconcilerUnit.unitName(name);
        UnitStatus reconciler;
        try (Drivers drivers = Drivers.forUser(env.env())) {
            reconciler = drivers.systemd().unit(unit);
        }
        boolean running = reconciler.loaded() && !reconciler.isStopped();
        if (format.equals("json")) {
            env.out().println("{\"reconciler\":{\"unit\":\"" + unit + "\",\"running\":" + running + ",\"state\":\""
                    + reconciler.activeState().toString().toLowerCase(java.util.Locale.ROOT) + "\"},\"status\":"
                    + status.map(StatusCommand::json).orElse("null") + "}");
            return ExitCode.OK;
        }
        env.out().println("Project: " + name);
        env.out().println("Reconciler: " + (running ? "running (unit " + unit.replace(".service", "")
                + ", pid " + reconciler.mainPid() + ")" : reconciler.isFailed() ? "failed (" + reconciler.result() + ")"
                : "not running") );
        if (status.isEmpty()) {
            env.out().println("No watcher has run on this project yet (`qemu-compose watch` or `watch --detach`).");
            return ExitCode.OK;
        }
        WatchStatus s = status.get();
        var pass = s.lastPass();
        if (pass != null) {
            env.out().println("Last pass: #" + pass.number() + " " + ago(pass.at()) + " (" + pass.trigger() + "): "
                    + pass.outcome() + (s.mode() == null ? "" : " [" + s.mode() + ", pid " + s.pid() + "]"));
        }
        if (s.config() != null) {
            Condition c = s.config();
            env.out().println("Compose file: " + (c.isTrue() ? "valid" : "INVALID since " + c.lastTransitionTime()));
            if (!c.isTrue()) {
                c.message().lines().forEach(l -> env.out().println("  " + l));
            }
        }
        if (!s.vms().isEmpty()) {
            env.out().println();
            env.out().printf("%-16s %-10s %-8s %-16s %-25s %s%n", "VM", "CONDITION", "STATUS", "REASON", "SINCE",
                    "MESSAGE");
            for (Map.Entry<String, List<Condition>> e : s.vms().entrySet()) {
                for (Condition c : e.getValue()) {
                    env.out().printf("%-16s %-10s %-8s %-16s %-25s %s%n", e.getKey(), c.type(), c.status(), c.reason(),
                            c.lastTransitionTime(), c.message());
                }
            }
        }
        return ExitCode.OK;
    }

    private static String ago(Instant at) {
        long s = Duration.between(at, Instant.now()).toSeconds();
        return at + " (" + s + " s ago)";
    }

    private static String json(WatchStatus s) {
        return tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(s);
    }
}
