package io.qemucompose.cli;

/** The process exit codes of every command; scripts depend on them, so they never change meaning. */
public final class ExitCode {
    public static final int OK = 0;
    /** Something went wrong that the user can act on (bad compose file, missing dependency). */
    public static final int ERROR = 1;
    /** The command line itself is wrong: unknown option, missing argument. */
    public static final int USAGE = 2;
    /** {@code up} and {@code ps --wait}: not all VMs became ready before the deadline. */
    public static final int NOT_READY = 3;

    private ExitCode() {
    }
}
