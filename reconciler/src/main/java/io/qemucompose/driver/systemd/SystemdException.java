package io.qemucompose.driver.systemd;

/** A call to the systemd user manager failed, or a wait for a unit state ran out of time. */
public class SystemdException extends RuntimeException {

    public SystemdException(String message) {
        super(message);
    }

    public SystemdException(String message, Throwable cause) {
        super(message, cause);
    }
}
