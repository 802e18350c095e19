package io.qemucompose.driver.cloudinit;

import io.qemucompose.driver.ExternalCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * The "resource disk" of cross-platform-actions' images, which have no cloud-init: a small FAT32 disk
 * holding one file, {@code KEYS}, with the public keys to authorize. A boot script in the image
 * mounts the second disk it finds and copies {@code KEYS} to {@code ~runner/.ssh/authorized_keys}.
 * The FreeBSD script looks for a partition of that disk, the others take the whole disk, so FreeBSD
 * gets an MBR with one FAT32 partition (as their GitHub action creates it). Built without root:
 * {@code mkfs.fat} on a plain file and {@code mcopy}, no mount.
 */
public final class KeyDisk {

    /** The file name the images' boot scripts read (on FAT, case does not matter). */
    public static final String KEYS_FILE = "KEYS";
    private static final long SIZE = 40L << 20; // FAT32 needs at least ~33 MiB
    private static final long PARTITION_START_SECTOR = 2048;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    public enum Layout {
        /** FAT32 on the whole disk */
        WHOLE_DISK,
        /** an MBR with one FAT32 partition from sector 2048 */
        MBR_PARTITION
    }

    private final ExternalCommand mkfs;
    private final ExternalCommand mcopy;
    private final ExternalCommand sfdisk;

    public KeyDisk() {
        this(new ExternalCommand(sbin("mkfs.fat"), "dosfstools"), new ExternalCommand("mcopy", "mtools"),
                new ExternalCommand(sbin("sfdisk"), "fdisk"));
    }

    KeyDisk(ExternalCommand mkfs, ExternalCommand mcopy, ExternalCommand sfdisk) {
        this.mkfs = mkfs;
        this.mcopy = mcopy;
        this.sfdisk = sfdisk;
    }

    /** Writes {@code disk} (replacing it atomically) with {@code authorizedKeys} as its KEYS file. */
    public void write(Path disk, String authorizedKeys, Layout layout) {
        Path tmp = disk.resolveSibling(disk.getFileName() + ".tmp");
        Path keys = disk.resolveSibling(disk.getFileName() + ".keys");
        try {
            Files.deleteIfExists(tmp);
            try (var file = new java.io.RandomAccessFile(tmp.toFile(), "rw")) {
                file.setLength(SIZE);
            }
            Files.writeString(keys, authorizedKeys.endsWith("\n") ? authorizedKeys : authorizedKeys + "\n",
                    StandardCharsets.US_ASCII);
            String target = tmp.toString();
            if (layout == Layout.MBR_PARTITION) {
                // type c: FAT32 with LBA, the type FreeBSD's GEOM names ...s1 and mount_msdosfs accepts
                check(sfdisk.run(List.of("--quiet", "--no-reread", "--no-tell-kernel", target), TIMEOUT,
                        PARTITION_START_SECTOR + ",,c\n"));
                long kib = (SIZE - PARTITION_START_SECTOR * 512) / 1024;
                check(mkfs.run(List.of("-F", "32", "-n", "RES", "--offset", Long.toString(PARTITION_START_SECTOR),
                        target, Long.toString(kib)), TIMEOUT));
                target = target + "@@" + PARTITION_START_SECTOR * 512;
            } else {
                check(mkfs.run(List.of("-F", "32", "-n", "RES", target), TIMEOUT));
            }
            check(mcopy.run(List.of("-o", "-i", target, keys.toString(), "::" + KEYS_FILE), TIMEOUT));
            Files.move(tmp, disk, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the key disk " + disk, e);
        } finally {
            try {
                Files.deleteIfExists(keys);
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a leftover temp file is replaced by the next write
            }
        }
    }

    private static void check(ExternalCommand.Result r) {
        if (!r.succeeded()) {
            throw new IllegalStateException(String.join(" ", r.command()) + " failed: " + r.diagnostic());
        }
    }

    /** mkfs.fat and sfdisk live in /usr/sbin, which a normal user's PATH often lacks. */
    private static String sbin(String tool) {
        for (String dir : List.of("/usr/sbin", "/sbin")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return dir + "/" + tool;
            }
        }
        return tool;
    }
}
