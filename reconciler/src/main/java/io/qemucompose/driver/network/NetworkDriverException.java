package io.qemucompose.driver.network;

/** A bridge or TAP could not be created, changed or removed; the message names the command and its error. */
public class NetworkDriverException extends RuntimeException {

    public NetworkDriverException(String message) {
        super(message);
    }

    public NetworkDriverException(String message, Throwable cause) {
        super(message, cause);
    }
}
