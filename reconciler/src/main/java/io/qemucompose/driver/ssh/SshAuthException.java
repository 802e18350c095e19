package io.qemucompose.driver.ssh;

/** The guest's sshd answered but did not accept the key (yet: cloud-init installs it during boot). */
public final class SshAuthException extends SshException {
    public SshAuthException(String message, Throwable cause) {
        super(message, cause);
    }
}
