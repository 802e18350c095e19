package io.qemucompose.state;

/** {@code .qemu-compose/state.json} cannot be used: unreadable, corrupt, or from a newer qemu-compose. */
public final class StateFileException extends RuntimeException {
    public StateFileException(String message, Throwable cause) {
        super(message, cause);
    }

    public StateFileException(String message) {
        super(message);
    }
}
