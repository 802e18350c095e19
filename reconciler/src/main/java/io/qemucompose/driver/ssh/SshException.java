package io.qemucompose.driver.ssh;

/** An SSH operation failed; subclasses say which part (connection, authentication, host key). */
public class SshException extends RuntimeException {
    public SshException(String message) {
        super(message);
    }

    public SshException(String message, Throwable cause) {
        super(message, cause);
    }
}
