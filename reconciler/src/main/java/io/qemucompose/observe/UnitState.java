package io.qemucompose.observe;

/** A systemd unit's ActiveState as far as the reconciler cares; a unit that is not loaded is {@link #INACTIVE}. */
public enum UnitState {
    ACTIVE, ACTIVATING, DEACTIVATING, INACTIVE, FAILED;

    public boolean isRunning() {
        return this == ACTIVE || this == ACTIVATING;
    }

    public static UnitState fromSystemd(String activeState) {
        return switch (activeState) {
            case "active", "reloading", "refreshing" -> ACTIVE;
            case "activating" -> ACTIVATING;
            case "deactivating" -> DEACTIVATING;
            case "failed" -> FAILED;
            default -> INACTIVE;
        };
    }
}
