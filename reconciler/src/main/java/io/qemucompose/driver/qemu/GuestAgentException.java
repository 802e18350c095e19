package io.qemucompose.driver.qemu;

/** The QEMU guest agent did not answer, answered with an error, or is not running in the guest. */
public class GuestAgentException extends RuntimeException {

    public GuestAgentException(String message) {
        super(message);
    }

    public GuestAgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
