package io.qemucompose.driver.qemu;

/** A QMP command failed, timed out, or the connection to QEMU is gone. */
public class QmpException extends RuntimeException {

    private final String errorClass;

    public QmpException(String message) {
        this(message, null, null);
    }

    public QmpException(String message, Throwable cause) {
        this(message, null, cause);
    }

    public QmpException(String message, String errorClass, Throwable cause) {
        super(message, cause);
        this.errorClass = errorClass;
    }

    /** QEMU's error class (e.g. {@code GenericError}, {@code CommandNotFound}) when QEMU answered with an error. */
    public java.util.Optional<String> errorClass() {
        return java.util.Optional.ofNullable(errorClass);
    }
}
