package io.qemucompose.apply;

/** {@code network rm} of a network a running VM is attached to; nothing was removed. */
public final class NetworkInUseException extends RuntimeException {
    public NetworkInUseException(String message) {
        super(message);
    }
}
