package io.qemucompose.driver.volume;

import io.qemucompose.state.AtomicFiles;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.StateFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The project's named volumes: {@code .qemu-compose/volumes.json} (metadata, replaced atomically)
 * and {@code .qemu-compose/volumes/<name>/disk.qcow2}. Volumes outlive VMs: nothing here is touched
 * by {@code stop}, {@code destroy} or a VM's removal from the file. Writers hold the project lock
 * ({@code StateStore.lock()}); this object serializes the threads of one process.
 */
public final class VolumeStore {

    static final int SCHEMA = 1;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** The file's shape; volumes sorted by name so the file diffs cleanly. */
    record VolumesFile(int schemaVersion, Map<String, VolumeMetadata> volumes) {
        VolumesFile {
            volumes = volumes == null ? Map.of() : new TreeMap<>(volumes);
        }
    }

    private final ProjectLayout layout;
    private final VolumeImages images;

    public VolumeStore(ProjectLayout layout, VolumeImages images) {
        this.layout = layout;
        this.images = images;
    }

    public Path disk(String volume) {
        return disk(layout, volume);
    }

    /** {@code .qemu-compose/volumes/<name>/disk.qcow2}. */
    public static Path disk(ProjectLayout layout, String volume) {
        return layout.volumeDisk(volume);
    }

    /** Every recorded volume, by name (including those no longer in the compose file). */
    public Map<String, VolumeMetadata> list() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(layout.volumesJson());
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new StateFileException("cannot read " + layout.volumesJson() + ": " + e.getMessage(), e);
        }
        try {
            VolumesFile file = JSON.readValue(bytes, VolumesFile.class);
            if (file.schemaVersion() > SCHEMA) {
                throw new StateFileException(layout.volumesJson() + " was written by a newer qemu-compose (schema "
                        + file.schemaVersion() + "): upgrade qemu-compose");
            }
            return file.volumes();
        } catch (JacksonException e) {
            throw new StateFileException("corrupt " + layout.volumesJson() + ": " + e.getOriginalMessage()
                    + "; fix or remove it", e);
        }
    }

    public Optional<VolumeMetadata> get(String volume) {
        return Optional.ofNullable(list().get(volume));
    }

    /** Makes the volume's disk if it is missing and records it; an existing disk is kept. */
    public synchronized VolumeMetadata create(String volume, long bytes) {
        return create(volume, bytes, VolumeImages.GUEST_OWNER_ID, VolumeImages.GUEST_OWNER_ID);
    }

    /** As {@link #create(String, long)}, a new file system's root folder owned by {@code uid:gid}. */
    public synchronized VolumeMetadata create(String volume, long bytes, int uid, int gid) {
        Path disk = disk(volume);
        boolean existed = Files.isRegularFile(disk);
        images.create(disk, bytes, uid, gid);
        Optional<VolumeMetadata> known = get(volume);
        VolumeMetadata meta = known.filter(m -> existed)
                .map(m -> m.withSize(images.size(disk)))
                .orElseGet(() -> new VolumeMetadata(volume, images.size(disk), disk.toString(), java.time.Instant.now()));
        put(meta);
        return meta;
    }

    /** Grows the volume's disk (the VMs using it must be stopped) and records the new size. */
    public synchronized VolumeMetadata grow(String volume, long bytes) {
        Path disk = disk(volume);
        images.grow(disk, bytes);
        VolumeMetadata meta = get(volume).orElseGet(() ->
                new VolumeMetadata(volume, bytes, disk.toString(), java.time.Instant.now())).withSize(images.size(disk));
        put(meta);
        return meta;
    }

    /** Deletes the volume's disk and folder and forgets it; a missing volume is no error. */
    public synchronized void remove(String volume) {
        Path dir = layout.volumeDir(volume);
        try {
            if (Files.isDirectory(dir)) {
                try (var walk = Files.walk(dir)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new VolumeException("cannot remove volume " + volume + " (" + dir + "): " + e.getMessage());
        }
        Map<String, VolumeMetadata> all = new TreeMap<>(list());
        if (all.remove(volume) != null) {
            write(all);
        }
    }

    /** The disk's real size, or empty when the volume has no disk. */
    public Optional<Long> observedSize(String volume) {
        Path disk = disk(volume);
        return Files.isRegularFile(disk) ? Optional.of(images.size(disk)) : Optional.empty();
    }

    private void put(VolumeMetadata meta) {
        Map<String, VolumeMetadata> all = new TreeMap<>(list());
        all.put(meta.name(), meta);
        write(all);
    }

    private void write(Map<String, VolumeMetadata> all) {
        AtomicFiles.write(layout.volumesJson(), JSON.writeValueAsBytes(new VolumesFile(SCHEMA, all)));
    }
}
