package io.qemucompose.state;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.function.UnaryOperator;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and changes {@code .qemu-compose/state.json}. Reads need no lock (the file is only ever
 * replaced by an atomic rename); every change is a read-modify-write under the {@link ProjectLock},
 * so concurrent qemu-compose processes never lose each other's updates.
 */
public final class StateStore {

    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(30);

    /** Far above any real project's state (a few KiB), far below what could exhaust the heap. */
    static final int MAX_STATE_BYTES = 16 << 20;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final ProjectLayout layout;
    private final Duration lockTimeout;

    public StateStore(ProjectLayout layout) {
        this(layout, DEFAULT_LOCK_TIMEOUT);
    }

    public StateStore(ProjectLayout layout, Duration lockTimeout) {
        this.layout = layout;
        this.lockTimeout = lockTimeout;
    }

    public ProjectLayout layout() {
        return layout;
    }

    /** The project lock, for callers that must hold it across several steps (a whole apply). Reentrant. */
    public ProjectLock.Held lock() {
        return ProjectLock.acquire(layout.lockFile(), lockTimeout);
    }

    /** The current state; {@link ProjectState#empty()} when the project has none yet. */
    public ProjectState read() {
        byte[] bytes;
        try {
            bytes = readBounded(layout.stateFile());
        } catch (NoSuchFileException e) {
            return ProjectState.empty();
        } catch (IOException e) {
            throw new StateFileException("cannot read " + layout.stateFile() + ": " + e.getMessage(), e);
        }
        try {
            JsonNode tree = JSON.readTree(bytes);
            int version = tree.path("schemaVersion").asInt(0);
            if (version > ProjectState.CURRENT_SCHEMA) {
                throw new StateFileException(layout.stateFile() + " was written by a newer qemu-compose (schema "
                        + version + "; this version reads up to " + ProjectState.CURRENT_SCHEMA
                        + "): upgrade qemu-compose");
            }
            if (version < 1 || !(tree instanceof ObjectNode object)) {
                throw new StateFileException(layout.stateFile() + " has no valid schemaVersion; fix or remove it");
            }
            return JSON.treeToValue(StateMigrations.migrate(object, version), ProjectState.class);
        } catch (JacksonException e) {
            throw new StateFileException("corrupt " + layout.stateFile() + ": " + e.getOriginalMessage()
                    + "; fix or remove it", e);
        }
    }

    /**
     * The file's bytes, at most {@link #MAX_STATE_BYTES}: a state file that is a link (to
     * {@code /dev/zero}, say) or not a regular file is refused instead of read until memory runs out.
     */
    static byte[] readBounded(Path file) throws IOException {
        StateDirectory.requireRegularOrAbsent(file);
        try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            while (channel.read(buffer.clear()) > 0) {
                out.write(buffer.array(), 0, buffer.position());
                if (out.size() > MAX_STATE_BYTES) {
                    throw new StateFileException(file + " is larger than " + (MAX_STATE_BYTES >> 20)
                            + " MiB; no qemu-compose writes that: fix or remove it");
                }
            }
            return out.toByteArray();
        }
    }

    /** Applies {@code change} to the current state under the project lock and writes the result atomically. */
    /**
     * Like {@link #update} for callers whose process already holds the project lock through
     * {@link #lock()} on another thread: the worker threads of one apply. The project lock is
     * exclusive between threads, so they cannot take it themselves; this store serializes them.
     */
    public synchronized ProjectState updateWhileHeld(UnaryOperator<ProjectState> change) {
        ProjectState before = read();
        ProjectState after = change.apply(before);
        if (after.equals(before) && Files.exists(layout.stateFile())) {
            return after;
        }
        ProjectState stamped = new ProjectState(ProjectState.CURRENT_SCHEMA, after.vms(), after.networks(),
                after.volumes());
        write(stamped);
        return stamped;
    }

    public ProjectState update(UnaryOperator<ProjectState> change) {
        try (ProjectLock.Held ignored = lock()) {
            return updateWhileHeld(change);
        }
    }

    private void write(ProjectState state) {
        StateDirectory.ensure(layout.stateDir());
        AtomicFiles.write(layout.stateFile(), JSON.writeValueAsBytes(state));
    }
}
