package io.qemucompose.driver.image;

/** qemu-img refused an operation; the message carries its stderr. */
public final class QemuImgException extends RuntimeException {
    public QemuImgException(String message) {
        super(message);
    }
}
