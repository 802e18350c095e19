package io.qemucompose.driver.volume;

import java.time.Instant;
import java.util.Objects;

/**
 * What {@code volumes.json} records about one named volume.
 *
 * @param path the qcow2 disk, absolute
 * @param created when the disk was made (a real time; the Go tool wrote a process id here)
 */
public record VolumeMetadata(String name, long sizeBytes, String path, Instant created) {
    public VolumeMetadata {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(created, "created");
    }

    public VolumeMetadata withSize(long bytes) {
        return new VolumeMetadata(name, bytes, path, created);
    }
}
