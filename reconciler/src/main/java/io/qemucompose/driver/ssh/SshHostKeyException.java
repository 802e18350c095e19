package io.qemucompose.driver.ssh;

/** The guest's host key differs from the one recorded in the project's known_hosts. */
public final class SshHostKeyException extends SshException {
    public SshHostKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
