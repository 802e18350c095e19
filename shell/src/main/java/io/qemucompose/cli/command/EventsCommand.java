package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.driver.Drivers;
import io.qemucompose.events.ProjectEvent;
import io.qemucompose.events.ProjectEvents;
import io.qemucompose.events.StatusEvents;
import io.qemucompose.health.Health;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.status.VmStatusProbe;
import java.nio.channels.SocketChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qemu-compose events [--format json] [VM...]}, as docker compose's events: unit state changes,
 * QMP events and readiness/health changes ({@code status}) as they happen, until Ctrl-C. With the project's daemon running this is its
 * {@code GET /events} (which adds plan passes and actions); without it, D-Bus and each VM's QMP
 * events monitor directly.
 */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = "Follow the project's events: VM unit state changes, QMP events, readiness and health changes (and the daemon's passes).")
public final class EventsCommand implements Callable<Integer> {

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Parameters(paramLabel = "VM", arity = "0..*", description = "Only these VMs (default: all).")
    private List<String> vms = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json (one object a line)")
    private String format;

    public EventsCommand(CommandEnvironment env) {
        this.env = env;
    }

    /** What {@code ps} says of the selected VMs, for the readiness and health events. */
    private static List<StatusEvents.Row> probe(Drivers drivers, ComposeProject compose, List<String> selected) {
        try {
            var options = new VmStatusProbe.Options(true, Duration.ofSeconds(10), false, Set.copyOf(selected));
            return new VmStatusProbe(drivers).probe(compose, options).stream()
                    .map(r -> new StatusEvents.Row(r.name(), r.state().label(), r.health().map(Health::label)))
                    .toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void opened(ComposeProject compose, String source) {
        env.err().println("Following the events of project " + compose.name() + " (from " + source + "); Ctrl-C ends.");
        env.err().flush();
    }

    @Override
    public Integer call() throws Exception {
        if (!format.equals("text") && !format.equals("json")) {
            throw new io.qemucompose.cli.UserFacingException("--format must be text or json, found '" + format + "'",
                    ExitCode.USAGE, null);
        }
        ComposeProject compose = project.load();
        List<String> selected = VmSelection.of(compose, vms);
        Consumer<ProjectEvent> print = e -> {
            if (e.vm().isEmpty() || selected.contains(e.vm())) {
                env.out().println(format.equals("json") ? e.toJson() : e.toText());
                env.out().flush();
            }
        };
        ProjectLayout layout = new ProjectLayout(compose.projectDir());
        Optional<SocketChannel> daemon = ApiEventStream.connect(layout.reachableSocket(layout.apiSocket()));
        if (daemon.isPresent()) {
            try (SocketChannel channel = daemon.get()) {
                ApiEventStream.follow(channel, print, () -> opened(compose, "the reconciler daemon"));
            }
            return ExitCode.OK;
        }
        try (Drivers drivers = Drivers.forUser(env.env());
             StatusEvents status = new StatusEvents(() -> probe(drivers, compose, selected), print, Clock.systemUTC())
                     .start();
             ProjectEvents events = new ProjectEvents(compose.name(), layout, selected, drivers.systemd(), e -> {
                 print.accept(e);
                 status.nudge();
             }, Clock.systemUTC()).start()) {
            opened(compose, "D-Bus and QMP");
            new CountDownLatch(1).await(); // until Ctrl-C ends the process
        }
        return ExitCode.OK;
    }
}
