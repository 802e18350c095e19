package io.qemucompose.driver.net;

/** No port could be leased, or the machine-wide lease registry is unreadable. */
public class PortLeaseException extends RuntimeException {

    public PortLeaseException(String message) {
        super(message);
    }

    public PortLeaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
