package io.qemucompose.driver.systemd;

import io.qemucompose.driver.systemd.dbus.AuxUnitStruct;
import io.qemucompose.driver.systemd.dbus.Systemd1Manager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * A client of a systemd user manager over D-Bus (never by running systemctl).
 *
 * <p>State changes arrive as signals: the manager is told to {@code Subscribe()}, and
 * {@code PropertiesChanged} on unit objects, {@code JobRemoved}, {@code UnitNew} and
 * {@code UnitRemoved} feed {@link #onUnitChange} listeners and {@link #awaitState}. Handlers are
 * registered before any call that could trigger them, because systemd may send {@code JobRemoved}
 * before the reply of the call that queued the job.
 */
public final class SystemdUserManager implements UnitManager {

    private static final Duration DEFAULT_JOB_TIMEOUT = Duration.ofMinutes(5);
    private static final int MAX_UNCLAIMED_JOBS = 1024;

    private final DBusConnection bus;
    private final Systemd1Manager manager;
    private final List<Consumer<String>> unitListeners = new CopyOnWriteArrayList<>();
    // job path -> result; filled by JobRemoved, claimed by the caller that queued the job
    private final Map<String, CompletableFuture<String>> jobs = new ConcurrentHashMap<>();
    private final List<AutoCloseable> signalHandlers = new ArrayList<>();
    // unit -> Result as its last change signal told it: a stopped unit is collected at once, its Result with it
    private final Map<String, String> lastResults = new ConcurrentHashMap<>();

    private SystemdUserManager(DBusConnection bus) throws DBusException {
        this.bus = bus;
        this.manager = bus.getRemoteObject(Systemd1Manager.BUS_NAME, Systemd1Manager.OBJECT_PATH, Systemd1Manager.class);
        signalHandlers.add(bus.addSigHandler(Systemd1Manager.JobRemoved.class, signal -> {
            jobFuture(signal.job()).complete(signal.result());
            notifyUnit(signal.unit());
        }));
        signalHandlers.add(bus.addSigHandler(Systemd1Manager.UnitNew.class, signal -> notifyUnit(signal.unit())));
        signalHandlers.add(bus.addSigHandler(Systemd1Manager.UnitRemoved.class, signal -> notifyUnit(signal.unit())));
        signalHandlers.add(bus.addSigHandler(Properties.PropertiesChanged.class, signal -> {
            String unit = UnitObjectPath.unitName(signal.getPath());
            if (unit != null) {
                rememberResult(unit, signal);
                notifyUnit(unit);
            }
        }));
        manager.Subscribe();
    }

    private void rememberResult(String unit, Properties.PropertiesChanged signal) {
        if ("org.freedesktop.systemd1.Service".equals(signal.getInterfaceName())) {
            Variant<?> result = signal.getPropertiesChanged().get("Result");
            if (result != null && result.getValue() instanceof String r) {
                lastResults.put(unit, r);
            }
        }
    }

    /** The Result of the unit's change signals since this connection was made (systemd sends every one with each change). */
    @Override
    public Optional<String> lastResult(String name) {
        return Optional.ofNullable(lastResults.get(name));
    }

    /** Connects to the session bus of the current user: $DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus. */
    public static SystemdUserManager connect() {
        return connect(defaultBusAddress());
    }

    /** Connects to the bus at a D-Bus address such as {@code unix:path=/run/user/0/bus}. */
    public static SystemdUserManager connect(String busAddress) {
        try {
            var bus = DBusConnectionBuilder.forAddress(busAddress).withShared(false).build();
            try {
                return new SystemdUserManager(bus);
            } catch (DBusException | DBusExecutionException e) {
                bus.close();
                throw e;
            }
        } catch (DBusException | DBusExecutionException | java.io.IOException e) {
            throw new SystemdException("cannot reach the systemd user manager on " + busAddress + ": " + e.getMessage(), e);
        }
    }

    static String defaultBusAddress() {
        String address = System.getenv("DBUS_SESSION_BUS_ADDRESS");
        if (address != null && !address.isBlank()) {
            return address;
        }
        String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
        if (runtimeDir == null || runtimeDir.isBlank()) {
            runtimeDir = "/run/user/" + currentUid();
        }
        Path socket = Path.of(runtimeDir, "bus");
        if (!Files.exists(socket)) {
            throw new SystemdException("no session bus: DBUS_SESSION_BUS_ADDRESS is unset and " + socket + " does not exist");
        }
        return "unix:path=" + socket;
    }

    private static String currentUid() {
        try {
            return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return "0";
        }
    }

    /** Starts a transient service and waits until its start job finished (mode "fail"). */
    @Override
    public JobResult startTransientUnit(TransientUnit unit) {
        return startTransientUnit(unit, DEFAULT_JOB_TIMEOUT);
    }

    @Override
    public JobResult startTransientUnit(TransientUnit unit, Duration jobTimeout) {
        String job = call("start " + unit.name(), () -> manager.StartTransientUnit(
                unit.name(), "fail", TransientUnitProperties.of(unit), List.<AuxUnitStruct>of()).getPath());
        return awaitJob(unit.name(), job, jobTimeout);
    }

    /** Stops a unit and waits for the stop job; a unit systemd does not know is already stopped. */
    @Override
    public JobResult stopUnit(String name) {
        return stopUnit(name, DEFAULT_JOB_TIMEOUT);
    }

    @Override
    public JobResult stopUnit(String name, Duration jobTimeout) {
        String job;
        try {
            job = manager.StopUnit(name, "replace").getPath();
        } catch (DBusExecutionException e) {
            if (isNoSuchUnit(e)) {
                return new JobResult(name, "", "not-loaded");
            }
            throw new SystemdException("stop " + name + " failed: " + e.getMessage(), e);
        }
        return awaitJob(name, job, jobTimeout);
    }

    /** Sends a signal to the unit's processes; {@code whom} is "main", "control" or "all". */
    @Override
    public void killUnit(String name, String whom, int signal) {
        call("kill " + name, () -> {
            manager.KillUnit(name, whom, signal);
            return null;
        });
    }

    @Override
    public void killUnit(String name, int signal) {
        killUnit(name, "all", signal);
    }

    /** Forgets a failed unit's state so its name can be started again; unknown units are fine. */
    @Override
    public void resetFailed(String name) {
        try {
            manager.ResetFailedUnit(name);
        } catch (DBusExecutionException e) {
            if (!isNoSuchUnit(e)) {
                throw new SystemdException("reset-failed " + name + " failed: " + e.getMessage(), e);
            }
        }
    }

    /** The unit's current state; a unit systemd does not know is inactive ({@link UnitStatus#notLoaded}). */
    @Override
    public UnitStatus unit(String name) {
        String path;
        try {
            path = manager.GetUnit(name).getPath();
        } catch (DBusExecutionException e) {
            if (isNoSuchUnit(e)) {
                return UnitStatus.notLoaded(name);
            }
            throw new SystemdException("status of " + name + " failed: " + e.getMessage(), e);
        }
        try {
            Properties props = bus.getRemoteObject(Systemd1Manager.BUS_NAME, path, Properties.class);
            Map<String, Variant<?>> unitProps = props.GetAll("org.freedesktop.systemd1.Unit");
            long mainPid = 0;
            String result = "";
            if (name.endsWith(".service")) {
                Map<String, Variant<?>> serviceProps = props.GetAll("org.freedesktop.systemd1.Service");
                if (serviceProps.get("MainPID") != null && serviceProps.get("MainPID").getValue() instanceof UInt32 pid) {
                    mainPid = pid.longValue();
                }
                result = string(serviceProps, "Result");
            }
            return new UnitStatus(name, string(unitProps, "LoadState"), ActiveState.of(string(unitProps, "ActiveState")),
                    string(unitProps, "SubState"), mainPid, result);
        } catch (DBusException | DBusExecutionException e) {
            // Collected between GetUnit and GetAll: it is gone, hence inactive.
            return UnitStatus.notLoaded(name);
        }
    }

    @Override
    public ServiceSettings serviceSettings(String name) {
        String path;
        try {
            path = manager.GetUnit(name).getPath();
        } catch (DBusExecutionException e) {
            if (isNoSuchUnit(e)) {
                return ServiceSettings.UNKNOWN;
            }
            throw new SystemdException("settings of " + name + " failed: " + e.getMessage(), e);
        }
        try {
            Map<String, Variant<?>> service = bus.getRemoteObject(Systemd1Manager.BUS_NAME, path, Properties.class)
                    .GetAll("org.freedesktop.systemd1.Service");
            Map<String, String> environment = new LinkedHashMap<>();
            if (service.get("Environment") != null && service.get("Environment").getValue() instanceof List<?> pairs) {
                for (Object pair : pairs) {
                    String text = String.valueOf(pair);
                    int eq = text.indexOf('=');
                    if (eq > 0) {
                        environment.put(text.substring(0, eq), text.substring(eq + 1));
                    }
                }
            }
            String dir = string(service, "WorkingDirectory");
            return new ServiceSettings(environment,
                    dir.startsWith("/") ? Optional.of(Path.of(dir)) : Optional.empty());
        } catch (DBusException | DBusExecutionException e) {
            return ServiceSettings.UNKNOWN; // collected meanwhile
        }
    }

    public UnitAccounting accounting(String name) {
        try {
            String path = manager.GetUnit(name).getPath();
            Properties props = bus.getRemoteObject(Systemd1Manager.BUS_NAME, path, Properties.class);
            Map<String, Variant<?>> p = props.GetAll("org.freedesktop.systemd1.Service");
            long pid = p.get("MainPID") != null && p.get("MainPID").getValue() instanceof UInt32 u ? u.longValue() : 0;
            return new UnitAccounting(pid, uint64(p, "CPUUsageNSec"), uint64(p, "MemoryCurrent"),
                    uint64(p, "IPIngressBytes"), uint64(p, "IPEgressBytes"), uint64(p, "IOReadBytes"),
                    uint64(p, "IOWriteBytes"));
        } catch (DBusException | DBusExecutionException e) {
            // not loaded (stopped and collected), or collected between the two calls
            return UnitAccounting.none();
        }
    }

    private static java.util.OptionalLong uint64(Map<String, Variant<?>> props, String key) {
        Variant<?> v = props.get(key);
        if (v != null && v.getValue() instanceof org.freedesktop.dbus.types.UInt64 n) {
            return UnitAccounting.counter(n.longValue());
        }
        return java.util.OptionalLong.empty();
    }

    /** Loaded units whose name starts with {@code prefix}. */
    @Override
    public List<UnitStatus> listUnits(String prefix) {
        var rows = call("list units " + prefix + "*",
                () -> manager.ListUnitsByPatterns(List.of(), List.of(globEscape(prefix) + "*")));
        return rows.stream()
                .filter(row -> row.name.startsWith(prefix))
                .map(row -> row.name.endsWith(".service") ? unit(row.name)
                        : new UnitStatus(row.name, row.loadState, ActiveState.of(row.activeState), row.subState, 0, ""))
                .toList();
    }

    /**
     * Loaded units whose name starts with {@code prefix}, as the one ListUnitsByPatterns call
     * returns them: states only (no MainPID, no Result), so a status listing of many VMs costs one
     * round trip instead of three per unit.
     */
    @Override
    public List<UnitStatus> listUnitStates(String prefix) {
        var rows = call("list units " + prefix + "*",
                () -> manager.ListUnitsByPatterns(List.of(), List.of(globEscape(prefix) + "*")));
        return rows.stream()
                .filter(row -> row.name.startsWith(prefix))
                .map(row -> new UnitStatus(row.name, row.loadState, ActiveState.of(row.activeState), row.subState, 0, ""))
                .toList();
    }

    /**
     * Calls {@code listener} with a unit name whenever that unit's state may have changed (by
     * signal). The listener runs on a D-Bus dispatch thread: keep it short, and do not call back
     * into this client from it. Close the returned handle to stop listening.
     */
    @Override
    public AutoCloseable onUnitChange(Consumer<String> listener) {
        unitListeners.add(listener);
        return () -> unitListeners.remove(listener);
    }

    /**
     * Waits until {@code condition} holds for the unit, re-reading its state on each signal about
     * it (no polling); throws {@link SystemdException} with the last seen state at the deadline.
     */
    @Override
    public UnitStatus awaitState(String name, Predicate<UnitStatus> condition, Duration deadline) {
        var changed = new java.util.concurrent.Semaphore(0);
        Consumer<String> listener = unit -> {
            if (unit.equals(name)) {
                changed.release();
            }
        };
        unitListeners.add(listener);
        try {
            long end = System.nanoTime() + deadline.toNanos();
            while (true) {
                changed.drainPermits(); // any signal from now on triggers another read
                UnitStatus status = unit(name);
                if (condition.test(status)) {
                    return status;
                }
                long left = end - System.nanoTime();
                if (left <= 0 || !changed.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                    throw new SystemdException("unit " + name + " did not reach the expected state within "
                            + deadline + "; last seen " + unit(name));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SystemdException("interrupted while waiting for " + name, e);
        } finally {
            unitListeners.remove(listener);
        }
    }

    @Override
    public void close() {
        for (var handler : signalHandlers) {
            try {
                handler.close();
            } catch (Exception ignored) {
                // the connection is going away anyway
            }
        }
        bus.disconnect();
    }

    private JobResult awaitJob(String unit, String job, Duration timeout) {
        CompletableFuture<String> future = jobFuture(job);
        try {
            return new JobResult(unit, job, future.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            throw new SystemdException("job " + job + " for " + unit + " did not finish within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SystemdException("interrupted while waiting for job " + job, e);
        } catch (ExecutionException e) {
            throw new SystemdException("job " + job + " failed: " + e.getCause(), e.getCause());
        } finally {
            jobs.remove(job);
        }
    }

    private CompletableFuture<String> jobFuture(String job) {
        if (jobs.size() > MAX_UNCLAIMED_JOBS) {
            // jobs queued by other clients are never claimed; drop the finished ones
            jobs.values().removeIf(CompletableFuture::isDone);
        }
        return jobs.computeIfAbsent(job, j -> new CompletableFuture<>());
    }

    private void notifyUnit(String unit) {
        for (var listener : unitListeners) {
            listener.accept(unit);
        }
    }

    private static boolean isNoSuchUnit(DBusExecutionException e) {
        String type = e.getType() == null ? "" : e.getType();
        String message = e.getMessage() == null ? "" : e.getMessage();
        return type.endsWith("NoSuchUnit") || message.contains("not loaded");
    }

    private static String string(Map<String, Variant<?>> props, String key) {
        Variant<?> value = props.get(key);
        return value == null ? "" : String.valueOf(value.getValue());
    }

    private static String globEscape(String prefix) {
        return prefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }

    private interface DBusCall<T> {
        T call() throws DBusExecutionException;
    }

    private static <T> T call(String what, DBusCall<T> call) {
        try {
            return call.call();
        } catch (DBusExecutionException e) {
            throw new SystemdException(what + " failed: " + e.getMessage(), e);
        }
    }
}
