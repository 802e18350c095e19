package io.qemucompose.watch;

import io.qemucompose.state.AtomicFiles;
import io.qemucompose.state.ProjectLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the watcher last did and saw, written atomically to {@link ProjectLayout#watchStatusFile()}
 * after every pass, for {@code qemu-compose status} (which reads it without any lock).
 *
 * @param mode    {@code foreground} or {@code detached}
 * @param config  the {@code ConfigValid} condition: a typo in the file shows here
 * @param vms     per VM: its {@code Running} and {@code Synced} conditions
 */
public record WatchStatus(String project, long pid, String mode, Instant startedAt, Instant updatedAt,
        Pass lastPass, Condition config, Map<String, List<Condition>> vms) {

    /**
     * @param trigger what woke the watcher (a file, a unit, the resync timer, a retry)
     * @param outcome one line: "no changes", "converged", "2 actions failed", "invalid compose file"
     */
    public record Pass(int number, Instant at, String trigger, String outcome, long durationMillis,
            List<String> changes) {
        public Pass {
            changes = List.copyOf(changes);
        }
    }

    public WatchStatus {
        vms = vms == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vms));
    }

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public void write(ProjectLayout layout) {
        layout.createStateDir();
        AtomicFiles.write(layout.watchStatusFile(), JSON.writeValueAsBytes(this));
    }

    /** The last status written; empty when no watcher ever ran on the project, or the file is unreadable. */
    public static Optional<WatchStatus> read(ProjectLayout layout) {
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(layout.watchStatusFile()), WatchStatus.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | JacksonException e) {
            return Optional.empty();
        }
    }
}
