package io.qemucompose.driver.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.qemucompose.state.AtomicFiles;
import io.qemucompose.state.ProjectLock;

/**
 * The project's known_hosts, changed only under {@code known_hosts.lock} ({@link ProjectLock}:
 * exclusive between threads of this process and, by fcntl, between processes). A new host key is
 * appended; forgetting a host rewrites the file by temp + fsync + rename. Without the lock an
 * append that lands between a rewrite's read and its rename is lost, and JSch's own in-place
 * rewrite could be read half-written by a parallel readiness probe.
 */
final class KnownHostsFile {

    private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(30);

    private final Path file;

    KnownHostsFile(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    Path path() {
        return file;
    }

    /** Appends one {@code host type base64} line. */
    void append(String line) {
        try (ProjectLock.Held ignored = lock()) {
            Files.writeString(file, line.endsWith("\n") ? line : line + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record host key in " + file + ": " + e.getMessage(), e);
        }
    }

    /** Removes every line naming {@code hostAlias} ({@code host} or {@code [host]:port}); other lines stay as they are. */
    void remove(String hostAlias) {
        try (ProjectLock.Held ignored = lock()) {
            if (!Files.isRegularFile(file)) {
                return;
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            List<String> kept = lines.stream().filter(line -> !names(line, hostAlias)).toList();
            if (kept.size() == lines.size()) {
                return;
            }
            StringBuilder text = new StringBuilder();
            kept.forEach(line -> text.append(line).append('\n'));
            AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new SshException("cannot update " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean names(String line, String hostAlias) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
            return false;
        }
        String hosts = l.startsWith("@") ? l.split("\\s+", 3)[1] : l.split("\\s+", 2)[0];
        return Arrays.asList(hosts.split(",")).contains(hostAlias);
    }

    private ProjectLock.Held lock() {
        return ProjectLock.acquire(file.resolveSibling(file.getFileName() + ".lock"), LOCK_TIMEOUT);
    }
}
