package io.qemucompose.driver.volume;

/** A named volume could not be created, grown or removed. */
public final class VolumeException extends RuntimeException {
    public VolumeException(String message) {
        super(message);
    }
}
