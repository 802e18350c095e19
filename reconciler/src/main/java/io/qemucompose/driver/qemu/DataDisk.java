package io.qemucompose.driver.qemu;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A disk attached besides the boot overlay (a named volume). The serial ({@code qc-<volume>}) is how
 * the guest finds it: {@code /dev/disk/by-id/virtio-qc-<volume>}.
 *
 * @param format a qemu-img format name, e.g. {@code qcow2} or {@code raw}
 */
public record DataDisk(Path path, String format, String serial, boolean readOnly) {

    /** virtio-blk carries at most 20 bytes of serial; QEMU silently cuts longer ones, which would break by-id names. */
    public static final int MAX_SERIAL_BYTES = 20;

    public DataDisk {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(serial, "serial");
        if (!format.matches("[a-z0-9]+")) {
            throw new IllegalArgumentException("disk format '" + format + "' is not a qemu-img format name");
        }
        if (serial.isEmpty() || serial.length() > MAX_SERIAL_BYTES || !serial.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("disk serial '" + serial
                    + "' must be 1-" + MAX_SERIAL_BYTES + " characters of letters, digits, '.', '_' or '-'");
        }
    }
}
