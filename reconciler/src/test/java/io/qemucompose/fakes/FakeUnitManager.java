package io.qemucompose.fakes;

import io.qemucompose.driver.systemd.ActiveState;
import io.qemucompose.driver.systemd.JobResult;
import io.qemucompose.driver.systemd.ServiceSettings;
import io.qemucompose.driver.systemd.SystemdException;
import io.qemucompose.driver.systemd.TransientUnit;
import io.qemucompose.driver.systemd.UnitManager;
import io.qemucompose.driver.systemd.UnitStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An in-memory service manager for unit tests of pure reconciler logic: units are names with a
 * state; starting one makes it active, stopping it makes it go away. No process runs.
 */
public final class FakeUnitManager implements UnitManager {

    private final Map<String, UnitStatus> units = new ConcurrentHashMap<>();
    private final List<TransientUnit> started = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, ServiceSettings> settings = new ConcurrentHashMap<>();
    private volatile boolean reachable = true;

    /** An active unit started by someone else with these settings (another project folder, say). */
    public FakeUnitManager withActive(String name, ServiceSettings startedWith) {
        settings.put(name, startedWith);
        return with(name, ActiveState.ACTIVE);
    }

    public FakeUnitManager with(String name, ActiveState state) {
        units.put(name, new UnitStatus(name, "loaded", state, state == ActiveState.ACTIVE ? "running" : "dead",
                state == ActiveState.ACTIVE ? 4242 : 0, state == ActiveState.FAILED ? "exit-code" : "success"));
        listeners.forEach(l -> l.accept(name));
        return this;
    }

    /** Makes every call fail, as when the user's bus is gone. */
    public FakeUnitManager unreachable() {
        reachable = false;
        return this;
    }

    public List<TransientUnit> started() {
        return List.copyOf(started);
    }

    private void check() {
        if (!reachable) {
            throw new SystemdException("cannot reach the user's systemd (fake)");
        }
    }

    @Override
    public JobResult startTransientUnit(TransientUnit unit, Duration jobTimeout) {
        check();
        started.add(unit);
        settings.put(unit.name(), new ServiceSettings(unit.environment(), unit.workingDirectory()));
        with(unit.name(), ActiveState.ACTIVE);
        return new JobResult(unit.name(), "/job/1", "done");
    }

    @Override
    public JobResult stopUnit(String name, Duration jobTimeout) {
        check();
        units.remove(name);
        settings.remove(name);
        listeners.forEach(l -> l.accept(name));
        return new JobResult(name, "/job/2", "done");
    }

    @Override
    public void killUnit(String name, String whom, int signal) {
        check();
        with(name, ActiveState.FAILED);
    }

    @Override
    public ServiceSettings serviceSettings(String name) {
        check();
        return units.containsKey(name) ? settings.getOrDefault(name, ServiceSettings.UNKNOWN) : ServiceSettings.UNKNOWN;
    }

    @Override
    public void resetFailed(String name) {
        check();
        units.computeIfPresent(name, (k, v) -> v.isFailed() ? null : v);
    }

    @Override
    public UnitStatus unit(String name) {
        check();
        return units.getOrDefault(name, UnitStatus.notLoaded(name));
    }

    @Override
    public List<UnitStatus> listUnits(String prefix) {
        check();
        List<UnitStatus> out = new ArrayList<>();
        units.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.add(v);
            }
        });
        return out;
    }

    @Override
    public List<UnitStatus> listUnitStates(String prefix) {
        return listUnits(prefix);
    }

    @Override
    public AutoCloseable onUnitChange(Consumer<String> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public UnitStatus awaitState(String name, Predicate<UnitStatus> condition, Duration deadline) {
        UnitStatus s = unit(name);
        if (!condition.test(s)) {
            throw new SystemdException("unit " + name + " is " + s.activeState() + " (fake: no state changes by itself)");
        }
        return s;
    }

    @Override
    public void close() {}
}
