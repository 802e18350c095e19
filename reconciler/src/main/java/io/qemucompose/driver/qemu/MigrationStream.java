package io.qemucompose.driver.qemu;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Saves a VM's RAM and device state to a file and loads it back, with QEMU's migration over QMP.
 *
 * <p>QEMU 7.2 has no {@code file:} migration (8.2 added it) and passing a descriptor needs
 * SCM_RIGHTS, which Java's Unix sockets cannot send; so the stream goes through {@code exec:}, whose
 * command QEMU runs with {@code /bin/sh -c} in its working directory (the VM folder). The command
 * is built here from fixed relative file names only ({@link #writerCommand}), so no path a user
 * chose is ever read by a shell.
 */
public final class MigrationStream {

    /**
     * QEMU 7.2 limits migration to 32 MiB/s by default (meant for live migration over a network):
     * a 1 GiB guest would take half a minute to save. This is the largest value QEMU accepts.
     */
    static final long MAX_BANDWIDTH = 2L << 40;

    private MigrationStream() {}

    /**
     * Writes the stream to {@code part}, fsyncs it, and only then creates {@code written}: QEMU
     * reports "completed" once the stream is in the pipe, not once the writer has it on disk.
     */
    public static String writerCommand(String part, String written) {
        requirePlain(part);
        requirePlain(written);
        return "exec:umask 077 && dd of=" + part + " bs=1M conv=fsync status=none && : > " + written;
    }

    public static String readerCommand(String file) {
        requirePlain(file);
        return "exec:cat " + file;
    }

    /** Only fixed names of this code reach the shell: letters, digits, '.', '-', '_'. */
    private static void requirePlain(String name) {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("not a plain file name for a shell: " + name);
        }
    }

    /**
     * Pauses the CPUs (so the stream is one pass, no dirty pages to chase) and migrates to
     * {@code uri}; returns when QEMU reports completion, throws {@link QmpException} on failure
     * with the CPUs running again.
     */
    public static void save(QmpClient qmp, String uri, Duration timeout) {
        enableEvents(qmp);
        qmp.execute("migrate-set-parameters", Map.of("max-bandwidth", MAX_BANDWIDTH));
        boolean wasRunning = qmp.queryStatus() == RunState.RUNNING;
        if (wasRunning) {
            qmp.stop();
        }
        try {
            qmp.execute("migrate", Map.of("uri", uri));
            awaitEnd(qmp, timeout, "saving the state");
        } catch (RuntimeException e) {
            if (wasRunning && qmp.isConnected()) {
                try {
                    qmp.cont();
                } catch (QmpException again) {
                    e.addSuppressed(again);
                }
            }
            throw e;
        }
    }

    /** Loads the stream into a QEMU started with {@code -incoming defer}; the CPUs stay paused. */
    public static void load(QmpClient qmp, String uri, Duration timeout) {
        enableEvents(qmp);
        qmp.execute("migrate-incoming", Map.of("uri", uri));
        awaitEnd(qmp, timeout, "loading the saved state");
    }

    private static void enableEvents(QmpClient qmp) {
        qmp.execute("migrate-set-capabilities",
                Map.of("capabilities", List.of(Map.of("capability", "events", "state", true))));
    }

    /** Waits for the MIGRATION event that ends it: completed, failed or cancelled. */
    private static void awaitEnd(QmpClient qmp, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Optional<QmpEvent> event = qmp.awaitEvent("MIGRATION", Duration.ofNanos(Math.max(0, left)));
            if (event.isEmpty()) {
                throw new QmpException(what + (qmp.isConnected() ? " did not finish within " + timeout.toSeconds() + " s"
                        : ": QEMU exited"));
            }
            String status = event.get().data().path("status").asString();
            switch (status) {
                case "completed" -> {
                    return;
                }
                case "failed", "cancelled" -> throw new QmpException(what + " failed: " + errorOf(qmp).orElse(status));
                default -> {
                    // setup, active, device, ...: keep waiting
                }
            }
        }
    }

    private static Optional<String> errorOf(QmpClient qmp) {
        try {
            JsonNode info = qmp.execute("query-migrate");
            String desc = info.path("error-desc").asString("");
            return desc.isEmpty() ? Optional.empty() : Optional.of(desc);
        } catch (QmpException e) {
            return Optional.empty();
        }
    }
}
