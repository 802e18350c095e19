package io.qemucompose.state;

/** Another process (or another thread of this one) held the project lock past the deadline. */
public final class ProjectLockedException extends RuntimeException {
    public ProjectLockedException(String message) {
        super(message);
    }
}
