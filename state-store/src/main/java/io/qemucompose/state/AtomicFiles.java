package io.qemucompose.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

/**
 * Writes files so that a reader (or a process killed half-way) only ever sees the old
 * content or the new one: temp file in the same directory, fsync, rename, fsync the directory.
 */
public final class AtomicFiles {

    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {
    }

    /** Writes {@code target} with the mode the user's umask gives a new file (0644 under umask 022, 0600 under 077). */
    public static void write(Path target, byte[] content) {
        write(target, content, null);
    }

    /**
     * Same as {@link #write(Path, byte[])}, the file created with {@code mode} as narrowed by the
     * umask (0600 for keys and other secrets). The temp file has that mode from its creation on,
     * so a secret is never readable by others, not even for a moment.
     */
    public static void write(Path target, byte[] content, Set<PosixFilePermission> mode) {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = createTemp(dir, target.getFileName().toString(), mode);
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
     * A new, empty {@code .name.<random>.tmp} in {@code dir}. Not {@link Files#createTempFile}: that
     * makes every file 0600 when no mode is given, and we want the umask's mode then.
     */
    private static Path createTemp(Path dir, String name, Set<PosixFilePermission> mode) throws IOException {
        FileAttribute<?>[] attributes = mode == null ? new FileAttribute<?>[0]
                : new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)};
        for (int attempt = 0; ; attempt++) {
            Path temp = dir.resolve("." + name + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
            try {
                Files.newByteChannel(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                        attributes).close();
                return temp;
            } catch (FileAlreadyExistsException taken) {
                if (attempt >= 100) {
                    throw taken;
                }
            }
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
