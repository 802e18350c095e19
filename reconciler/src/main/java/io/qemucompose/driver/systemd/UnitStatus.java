package io.qemucompose.driver.systemd;

import java.util.OptionalLong;

/**
 * What systemd says about one unit right now.
 *
 * @param loadState   "loaded", "not-found" (also used for a unit that is not loaded at all), ...
 * @param subState    e.g. "running", "dead", "exited", "failed"
 * @param mainPid     the service's main process, 0 when none (or not a service)
 * @param result      the service's Result ("success", "exit-code", "signal", "timeout", ...), or
 *                    "" when unknown
 */
public record UnitStatus(String name, String loadState, ActiveState activeState, String subState,
        long mainPid, String result) {

    /** A unit systemd does not know (never started, or garbage-collected after it stopped). */
    public static UnitStatus notLoaded(String name) {
        return new UnitStatus(name, "not-found", ActiveState.INACTIVE, "dead", 0, "");
    }

    public boolean loaded() {
        return "loaded".equals(loadState);
    }

    public boolean isActive() {
        return activeState == ActiveState.ACTIVE;
    }

    public boolean isInactive() {
        return activeState == ActiveState.INACTIVE;
    }

    public boolean isFailed() {
        return activeState == ActiveState.FAILED;
    }

    /** Inactive or failed: nothing of the unit runs any more. */
    public boolean isStopped() {
        return isInactive() || isFailed();
    }

    public OptionalLong mainProcess() {
        return mainPid > 0 ? OptionalLong.of(mainPid) : OptionalLong.empty();
    }
}
