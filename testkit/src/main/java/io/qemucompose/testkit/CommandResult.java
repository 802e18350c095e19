package io.qemucompose.testkit;

import java.util.List;

/** How a command ended, with its captured output. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** This result, or an exception naming the command and its stderr when it failed. */
    public CommandResult orThrow() {
        if (exitCode != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + exitCode
                    + ": " + stderr.strip() + (stdout.isBlank() ? "" : " / " + stdout.strip()));
        }
        return this;
    }
}
