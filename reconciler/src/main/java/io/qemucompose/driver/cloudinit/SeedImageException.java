package io.qemucompose.driver.cloudinit;

/** The cloud-init seed ISO could not be written; the message carries genisoimage's stderr. */
public final class SeedImageException extends RuntimeException {
    public SeedImageException(String message) {
        super(message);
    }
}
