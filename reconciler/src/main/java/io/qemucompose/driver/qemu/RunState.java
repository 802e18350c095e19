package io.qemucompose.driver.qemu;

import java.util.Locale;

/** QEMU's run state as {@code query-status} reports it. */
public enum RunState {
    DEBUG, INMIGRATE, INTERNAL_ERROR, IO_ERROR, PAUSED, POSTMIGRATE, PRELAUNCH, FINISH_MIGRATE,
    RESTORE_VM, RUNNING, SAVE_VM, SHUTDOWN, SUSPENDED, WATCHDOG, GUEST_PANICKED, COLO,
    /** A state this code does not know (a newer QEMU). */
    UNKNOWN;

    public static RunState fromQmp(String status) {
        try {
            return valueOf(status.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}
