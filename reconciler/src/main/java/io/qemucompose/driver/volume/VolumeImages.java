package io.qemucompose.driver.volume;

import io.qemucompose.driver.ExternalCommand;
import io.qemucompose.driver.image.QemuImg;
import io.qemucompose.state.AtomicFiles;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Makes and grows the disk of a named volume: a qcow2 image holding an ext4 file system, made
 * without any privilege. The Go tool attached a fresh qcow2 to {@code /dev/nbd0} with sudo to run
 * mkfs on it; {@code mkfs.ext4} formats a plain (sparse) file just as well, and
 * {@code qemu-img convert} turns that file into a qcow2 that stores only the blocks mkfs wrote.
 */
public final class VolumeImages {

    /**
     * Owner of the new file system's root folder when the login users keep the image's default
     * uid (qemu-compose as root): the first user cloud-init creates on a cloud image (debian,
     * ubuntu, fedora …, or the compose file's {@code user}) gets uid and gid 1000, so the login
     * user can write to a fresh volume without sudo. Otherwise the caller passes the login user's ids.
     */
    public static final int GUEST_OWNER_ID = 1000;

    private final ExternalCommand mkfs;
    private final ExternalCommand qemuImgTool;
    private final QemuImg qemuImg;
    private final Duration timeout;

    public VolumeImages(QemuImg qemuImg) {
        this(new ExternalCommand(sbinTool("mkfs.ext4"), "e2fsprogs"), new ExternalCommand("qemu-img", "qemu-utils"),
                qemuImg, Duration.ofMinutes(5));
    }

    public VolumeImages(ExternalCommand mkfs, ExternalCommand qemuImgTool, QemuImg qemuImg, Duration timeout) {
        this.mkfs = mkfs;
        this.qemuImgTool = qemuImgTool;
        this.qemuImg = qemuImg;
        this.timeout = timeout;
    }

    /**
     * Creates {@code disk} (qcow2, {@code bytes} big) with an empty ext4 file system whose root
     * belongs to {@link #GUEST_OWNER_ID}. Built under temporary names next to it and renamed at the
     * end, so a crash never leaves a half-made volume that a later run would take for a real one.
     * An existing {@code disk} is kept as it is (its data matters more than its size).
     */
    public void create(Path disk, long bytes) {
        create(disk, bytes, GUEST_OWNER_ID, GUEST_OWNER_ID);
    }

    /** As {@link #create(Path, long)}, the root folder owned by {@code uid:gid}. */
    public void create(Path disk, long bytes, int uid, int gid) {
        if (Files.isRegularFile(disk)) {
            return;
        }
        Path dir = disk.toAbsolutePath().getParent();
        Path raw = dir.resolve("." + disk.getFileName() + ".raw.creating");
        Path qcow2 = dir.resolve("." + disk.getFileName() + ".creating");
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(raw);
            Files.deleteIfExists(qcow2);
            // sparse: the file takes no space until mkfs writes its metadata
            try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
                f.setLength(bytes);
            }
            ExternalCommand.Result formatted = mkfs.run(List.of("-q", "-F", "-t", "ext4", "-m", "0",
                    "-E", "root_owner=" + uid + ":" + gid
                            + ",lazy_itable_init=1,lazy_journal_init=1",
                    raw.toString()), timeout);
            if (!formatted.succeeded()) {
                throw new VolumeException("mkfs.ext4 of volume disk " + disk + " failed: " + formatted.diagnostic());
            }
            ExternalCommand.Result converted = qemuImgTool.run(List.of("convert", "-q", "-f", "raw", "-O", "qcow2",
                    raw.toString(), qcow2.toString()), timeout);
            if (!converted.succeeded()) {
                throw new VolumeException("qemu-img convert of volume disk " + disk + " failed: "
                        + converted.diagnostic());
            }
            AtomicFiles.moveIntoPlace(qcow2, disk);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create volume disk " + disk + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(raw);
            deleteQuietly(qcow2);
        }
    }

    /**
     * Grows the disk to {@code bytes}; the guest grows the file system itself on the next boot
     * (resize2fs of the mounted volume). Shrinking is refused by {@link QemuImg#resize}. The VMs
     * using the volume must be stopped (QEMU holds a write lock on the image).
     */
    public void grow(Path disk, long bytes) {
        qemuImg.resize(disk, bytes);
    }

    /** The disk's virtual size in bytes (read with --force-share, so a running VM does not matter). */
    public long size(Path disk) {
        return qemuImg.info(disk).virtualSize();
    }

    /**
     * {@code mkfs.ext4} lives in /usr/sbin, which is not on an unprivileged user's PATH on Debian;
     * it needs no privilege to format a file, so look there too.
     */
    static String sbinTool(String name) {
        if (ExternalCommand.onPath(name)) {
            return name;
        }
        for (String dir : List.of("/usr/sbin", "/sbin")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return name;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover hidden temp file is replaced by the next attempt
        }
    }
}
