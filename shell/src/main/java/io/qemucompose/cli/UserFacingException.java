package io.qemucompose.cli;

/**
 * A failure the user can act on, reported as one line on stderr without a stack trace (unless
 * {@code --debug}). Commands throw it at their boundary instead of printing and returning 1, so
 * every face reports errors the same way.
 */
public class UserFacingException extends RuntimeException {

    private final int exitCode;

    public UserFacingException(String message) {
        this(message, ExitCode.ERROR, null);
    }

    public UserFacingException(String message, Throwable cause) {
        this(message, ExitCode.ERROR, cause);
    }

    public UserFacingException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
