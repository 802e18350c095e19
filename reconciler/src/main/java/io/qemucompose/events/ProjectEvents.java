package io.qemucompose.events;

import io.qemucompose.driver.qemu.QmpClient;
import io.qemucompose.driver.qemu.QmpEvent;
import io.qemucompose.driver.qemu.QmpException;
import io.qemucompose.driver.systemd.UnitManager;
import io.qemucompose.driver.systemd.UnitStatus;
import io.qemucompose.state.ProjectLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The live events of a project's VMs, straight from their sources: unit state changes from the
 * systemd user manager's D-Bus signals, and QMP events from each running VM's events monitor
 * ({@code qmp-events.sock}, which no other client uses). Used by {@code events} without a daemon and
 * by the daemon's {@code GET /events}.
 *
 * <p>Signals are handled in arrival order on one thread: a D-Bus handler must return quickly, and
 * reading the unit's state takes a round trip.
 */
public final class ProjectEvents implements AutoCloseable {

    static final Duration QMP_CONNECT = Duration.ofSeconds(10);

    private final String project;
    private final ProjectLayout layout;
    private final Set<String> vms;
    private final UnitManager systemd;
    private final Consumer<ProjectEvent> sink;
    private final Clock clock;
    private final ExecutorService signals = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("events-dbus").factory());
    private final Map<String, String> lastState = new ConcurrentHashMap<>();
    private final Map<String, QmpClient> monitors = new ConcurrentHashMap<>();
    private AutoCloseable subscription;
    private volatile boolean closed;

    public ProjectEvents(String project, ProjectLayout layout, Collection<String> vms, UnitManager systemd,
            Consumer<ProjectEvent> sink, Clock clock) {
        this.project = project;
        this.layout = layout;
        this.vms = Set.copyOf(vms);
        this.systemd = systemd;
        this.sink = sink;
        this.clock = clock;
    }

    /** Subscribes first (no change between the snapshot and the subscription is lost), then follows running VMs. */
    public ProjectEvents start() {
        subscription = systemd.onUnitChange(unit -> signals.execute(() -> unitChanged(unit)));
        for (String vm : vms) {
            UnitStatus status = systemd.unit(ProjectLayout.vmUnit(project, vm));
            lastState.put(vm, status.activeState().name().toLowerCase(java.util.Locale.ROOT));
            if (status.isActive()) {
                follow(vm);
            }
        }
        return this;
    }

    private void unitChanged(String unit) {
        if (closed) {
            return;
        }
        String name = unit.endsWith(".service") ? unit : unit + ".service";
        for (String vm : vms) {
            if (!ProjectLayout.vmUnit(project, vm).equals(name)) {
                continue;
            }
            UnitStatus status = systemd.unit(name);
            String state = status.activeState().name().toLowerCase(java.util.Locale.ROOT);
            if (!state.equals(lastState.put(vm, state))) {
                sink.accept(new ProjectEvent(clock.instant(), "unit", vm, state,
                        Map.of("unit", ProjectLayout.withoutSuffix(name), "sub", status.subState())));
            }
            if (status.isActive()) {
                follow(vm);
            }
        }
    }

    /** Connects to the VM's events monitor on a virtual thread (QEMU creates it before the guest runs). */
    private void follow(String vm) {
        if (monitors.containsKey(vm) || closed) {
            return;
        }
        Path socket = layout.reachableSocket(layout.qmpEventsSocket(vm));
        Thread.ofVirtual().name("events-qmp " + vm).start(() -> {
            try {
                QmpClient qmp = QmpClient.connect(socket, QMP_CONNECT);
                if (monitors.putIfAbsent(vm, qmp) != null || closed) {
                    qmp.close();
                    return;
                }
                qmp.addEventListener(e -> sink.accept(event(vm, e)));
                qmp.awaitDisconnect(Duration.ofDays(365));
                monitors.remove(vm, qmp);
            } catch (QmpException e) {
                if (!Files.exists(socket)) {
                    sink.accept(new ProjectEvent(clock.instant(), "qmp", vm, "unavailable",
                            Map.of("reason", "no events monitor: the VM was started by an older qemu-compose")));
                }
            }
        });
    }

    private static ProjectEvent event(String vm, QmpEvent e) {
        Map<String, String> attributes = new java.util.LinkedHashMap<>();
        e.data().properties().forEach(p -> attributes.put(p.getKey(),
                p.getValue().isValueNode() ? p.getValue().asString() : p.getValue().toString()));
        return new ProjectEvent(e.timestamp(), "qmp", vm, e.name(), attributes);
    }

    /** The VMs whose events monitor is connected now (for tests and status). */
    public List<String> followed() {
        return List.copyOf(monitors.keySet());
    }

    @Override
    public void close() {
        closed = true;
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception ignored) {
                // a listener list cannot fail to shrink
            }
        }
        signals.shutdownNow();
        monitors.values().forEach(QmpClient::close);
    }
}
