package io.qemucompose.driver.systemd;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What the reconciler asks of a service manager: transient units, their states and their
 * changes. {@link SystemdUserManager} is the real one (systemd over D-Bus); unit tests of the
 * reconciler use an in-memory one.
 */
public interface UnitManager extends AutoCloseable {

    /** Starts a transient service and waits until its start job finished. */
    JobResult startTransientUnit(TransientUnit unit, Duration jobTimeout);

    default JobResult startTransientUnit(TransientUnit unit) {
        return startTransientUnit(unit, Duration.ofMinutes(5));
    }

    /** Stops a unit and waits for the stop job; a unit the manager does not know is already stopped. */
    JobResult stopUnit(String name, Duration jobTimeout);

    default JobResult stopUnit(String name) {
        return stopUnit(name, Duration.ofMinutes(5));
    }

    /** Sends a signal to the unit's processes; {@code whom} is "main", "control" or "all". */
    void killUnit(String name, String whom, int signal);

    default void killUnit(String name, int signal) {
        killUnit(name, "all", signal);
    }

    /** Forgets a failed unit's state so its name can be started again; unknown units are fine. */
    void resetFailed(String name);

    /** The unit's current state; an unknown unit is inactive ({@link UnitStatus#notLoaded}). */
    UnitStatus unit(String name);

    /**
     * The environment and working directory a loaded service was started with;
     * {@link ServiceSettings#UNKNOWN} for a unit that is not loaded (or a manager that cannot tell).
     */
    default ServiceSettings serviceSettings(String name) {
        return ServiceSettings.UNKNOWN;
    }

    /** Loaded units whose name starts with {@code prefix}, with all details. */
    List<UnitStatus> listUnits(String prefix);

    /** Loaded units whose name starts with {@code prefix}: states only, in one round trip. */
    List<UnitStatus> listUnitStates(String prefix);

    /**
     * How the unit's last run ended ("success", "signal", "exit-code", …) as its change signals said,
     * also after systemd collected the unit; empty when no signal about it was seen on this connection.
     */
    default Optional<String> lastResult(String name) {
        return Optional.empty();
    }

    /** The unit's CPU, memory, IP and IO counters; {@link UnitAccounting#none} when it is not loaded. */
    default UnitAccounting accounting(String name) {
        return UnitAccounting.none();
    }

    /** Calls {@code listener} with a unit name whenever that unit's state may have changed. */
    AutoCloseable onUnitChange(Consumer<String> listener);

    /** Waits until {@code condition} holds for the unit, woken by its changes; throws at the deadline. */
    UnitStatus awaitState(String name, Predicate<UnitStatus> condition, Duration deadline);

    @Override
    void close();
}
