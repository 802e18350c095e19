package io.qemucompose.driver.systemd;

import java.nio.file.Path;

/** Where a unit's stdout/stderr go. Files are the norm: many hosts have no journald (see JournalFollower for the journal copy). */
public sealed interface OutputTarget {

    /** {@code append:<file>}: keep what earlier runs wrote. */
    record Append(Path file) implements OutputTarget {
    }

    /** {@code file:<file>}: write from the start of the file, without truncating it. */
    record File(Path file) implements OutputTarget {
    }

    /** {@code truncate:<file>}: empty the file first. */
    record Truncate(Path file) implements OutputTarget {
    }

    /** {@code null}: discard. */
    record Discard() implements OutputTarget {
    }

    static OutputTarget append(Path file) {
        return new Append(file.toAbsolutePath());
    }

    static OutputTarget file(Path file) {
        return new File(file.toAbsolutePath());
    }

    static OutputTarget truncate(Path file) {
        return new Truncate(file.toAbsolutePath());
    }

    static OutputTarget discard() {
        return new Discard();
    }
}
