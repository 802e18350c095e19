package io.qemucompose.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code .qemu-compose/networks.json}: what a project's networks were given and cannot be
 * observed: the subnet each got (an {@code auto} one must stay the same across restarts and
 * {@code up}s), its bridge, and the address reserved for each VM (so a restarted VM gets the
 * same IP). Replaced atomically; changed only under the project lock (the caller holds it).
 */
public final class NetworkAllocations {

    public static final int CURRENT_SCHEMA = 1;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /**
     * One network's allocation.
     *
     * @param requested the {@code subnet:} it was made for ({@code auto} or a CIDR)
     * @param subnet the CIDR it got
     * @param addresses VM name → its reserved IPv4 address on this network
     */
    public record Network(String requested, String subnet, String bridge, Instant createdAt,
            Map<String, String> addresses) {
        public Network {
            addresses = addresses == null ? Map.of() : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(addresses));
        }

        public Network withAddress(String vm, String ip) {
            Map<String, String> copy = new TreeMap<>(addresses);
            copy.put(vm, ip);
            return new Network(requested, subnet, bridge, createdAt, copy);
        }

        public Network withoutAddress(String vm) {
            Map<String, String> copy = new TreeMap<>(addresses);
            copy.remove(vm);
            return new Network(requested, subnet, bridge, createdAt, copy);
        }
    }

    /** The file's shape; networks sorted by name so the file diffs cleanly. */
    public record File(int schemaVersion, Map<String, Network> networks) {
        public File {
            networks = networks == null ? Map.of() : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(networks));
        }

        public static File empty() {
            return new File(CURRENT_SCHEMA, Map.of());
        }

        public Optional<Network> network(String name) {
            return Optional.ofNullable(networks.get(name));
        }

        public File with(String name, Network network) {
            Map<String, Network> copy = new TreeMap<>(networks);
            copy.put(name, network);
            return new File(CURRENT_SCHEMA, copy);
        }

        public File without(String name) {
            Map<String, Network> copy = new TreeMap<>(networks);
            copy.remove(name);
            return new File(CURRENT_SCHEMA, copy);
        }
    }

    private static final java.util.concurrent.ConcurrentHashMap<java.nio.file.Path, Object> LOCKS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final ProjectLayout layout;

    public NetworkAllocations(ProjectLayout layout) {
        this.layout = layout;
    }

    public File read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(layout.networksJson());
        } catch (NoSuchFileException e) {
            return File.empty();
        } catch (IOException e) {
            throw new StateFileException("cannot read " + layout.networksJson() + ": " + e.getMessage(), e);
        }
        try {
            File file = JSON.readValue(bytes, File.class);
            if (file.schemaVersion() > CURRENT_SCHEMA) {
                throw new StateFileException(layout.networksJson() + " was written by a newer qemu-compose (schema "
                        + file.schemaVersion() + "): upgrade qemu-compose");
            }
            return file;
        } catch (JacksonException e) {
            throw new StateFileException("corrupt " + layout.networksJson() + ": " + e.getOriginalMessage()
                    + "; fix or remove it", e);
        }
    }

    /**
     * Read, change, write; the caller holds the project lock. The actions of one apply run on
     * several threads (two networks are brought up at once), each with its own instance: they
     * are serialized per file here, or one would write back a file without the other's change.
     */
    public File update(UnaryOperator<File> change) {
        synchronized (LOCKS.computeIfAbsent(layout.networksJson().toAbsolutePath().normalize(), k -> new Object())) {
            return updateLocked(change);
        }
    }

    private File updateLocked(UnaryOperator<File> change) {
        File before = read();
        File after = change.apply(before);
        if (after.equals(before) && Files.exists(layout.networksJson())) {
            return after;
        }
        try {
            Files.createDirectories(layout.stateDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + layout.stateDir(), e);
        }
        if (after.networks().isEmpty()) {
            try {
                Files.deleteIfExists(layout.networksJson());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + layout.networksJson(), e);
            }
            return after;
        }
        AtomicFiles.write(layout.networksJson(), JSON.writeValueAsBytes(after));
        return after;
    }
}
