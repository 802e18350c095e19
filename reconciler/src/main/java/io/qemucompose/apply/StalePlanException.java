package io.qemucompose.apply;

/** A saved plan no longer matches the file or the world; nothing was changed. */
public final class StalePlanException extends Exception {
    public StalePlanException(String message) {
        super(message);
    }
}
