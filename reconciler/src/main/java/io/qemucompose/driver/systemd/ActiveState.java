package io.qemucompose.driver.systemd;

/** A unit's ActiveState as systemd reports it; a unit that is not loaded counts as {@link #INACTIVE}. */
public enum ActiveState {
    ACTIVE, RELOADING, INACTIVE, FAILED, ACTIVATING, DEACTIVATING, MAINTENANCE, REFRESHING;

    public static ActiveState of(String value) {
        return switch (value) {
            case "active" -> ACTIVE;
            case "reloading" -> RELOADING;
            case "inactive" -> INACTIVE;
            case "failed" -> FAILED;
            case "activating" -> ACTIVATING;
            case "deactivating" -> DEACTIVATING;
            case "maintenance" -> MAINTENANCE;
            case "refreshing" -> REFRESHING;
            default -> throw new IllegalArgumentException("unknown systemd ActiveState: " + value);
        };
    }

    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
