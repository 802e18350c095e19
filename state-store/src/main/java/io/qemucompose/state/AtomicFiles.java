package io.qemucompose.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files so that a reader (or a process killed half-way) only ever sees the old
 * content or the new one: temp file in the same directory, fsync, rename, fsync the directory.
 */
public final class AtomicFiles {

    private static final Set<PosixFilePermission> DEFAULT_MODE = PosixFilePermissions.fromString("rw-r--r--");

    private AtomicFiles() {
    }

    public static void write(Path target, byte[] content) {
        write(target, content, DEFAULT_MODE);
    }

    /** Same as {@link #write(Path, byte[])}, the file created with {@code mode} (e.g. 0600 for keys). */
    public static void write(Path target, byte[] content, Set<PosixFilePermission> mode) {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(mode));
            // createTempFile applies the umask; set the mode explicitly so 0644 stays 0644.
            Files.setPosixFilePermissions(temp, mode);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            moveIntoPlace(temp, target);
            temp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /**
     * Renames a finished file (already written in {@code target}'s directory) over {@code target}
     * and makes both the data and the rename durable. Used for downloads, overlays and seeds,
     * which are produced by other means than {@link #write}.
     */
    public static void moveIntoPlace(Path finished, Path target) throws IOException {
        try (FileChannel channel = FileChannel.open(finished, StandardOpenOption.READ)) {
            channel.force(true);
        }
        Files.move(finished, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(target.toAbsolutePath().getParent());
    }

    /** Makes a rename or a deletion in {@code dir} durable (Linux allows fsync on a directory fd). */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void deleteQuietly(Path path) {
        if (path == null) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort: a leftover ".name.*.tmp" file is harmless and never read
        }
    }
}
