package io.qemucompose.driver.ssh;

/** No SSH conversation could be had: refused, timed out, or the peer closed before the SSH banner. */
public final class SshConnectException extends SshException {
    public SshConnectException(String message, Throwable cause) {
        super(message, cause);
    }
}
