package io.qemucompose.driver.image;

import java.util.Optional;

/**
 * What {@code qemu-img info} says about a disk image.
 *
 * @param format        e.g. {@code qcow2}, {@code raw}
 * @param virtualSize   the size the guest sees, in bytes
 * @param actualSize    bytes used on the host
 * @param backingFile   the backing file as written in the image (absolute for our overlays)
 * @param backingFormat the backing file's format, when recorded
 */
public record DiskImageInfo(String format, long virtualSize, long actualSize, Optional<String> backingFile,
                            Optional<String> backingFormat) {
}
