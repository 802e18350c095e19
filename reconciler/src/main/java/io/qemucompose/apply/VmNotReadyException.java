package io.qemucompose.apply;

/** A VM did not become ready (SSH + cloud-init done) before the deadline; {@code up} exits with 3. */
public final class VmNotReadyException extends Exception {
    public VmNotReadyException(String message) {
        super(message);
    }
}
