package io.qemucompose.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A small tmpfs mounted on a folder the test owns, for "the disk is full" faults: no loop device,
 * no image file, gone with {@link #close()} (or the {@link Reaper} when the run is interrupted).
 * {@link #fillLeaving} takes the free space away with one balloon file and {@link #deflate} gives it
 * back, so a test can make exactly the next write fail.
 */
public final class SmallFilesystem implements AutoCloseable {

    private final Path mountPoint;
    private final Path balloon;
    private final Reaper.Registration cleanup;

    private SmallFilesystem(Path mountPoint) {
        this.mountPoint = mountPoint;
        this.balloon = mountPoint.resolve(".balloon");
        this.cleanup = Reaper.register("tmpfs " + mountPoint, this::unmount);
    }

    /** Mounts a tmpfs of {@code megabytes} on {@code dir} (created, must be empty). Needs root. */
    public static SmallFilesystem mount(Path dir, int megabytes) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CommandResult r = Commands.run(List.of("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m,mode=0700",
                "qct-small-fs", dir.toString()), Duration.ofSeconds(20), null);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("cannot mount a tmpfs on " + dir + ": " + r);
        }
        return new SmallFilesystem(dir);
    }

    public Path path() {
        return mountPoint;
    }

    /** Bytes free for an unprivileged write right now. */
    public long freeBytes() {
        try {
            return Files.getFileStore(mountPoint).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fills the file system with a balloon file until only about {@code bytes} are free. */
    public void fillLeaving(long bytes) {
        deflate();
        long size = freeBytes() - bytes;
        if (size <= 0) {
            return;
        }
        CommandResult r = Commands.run(List.of("fallocate", "-l", Long.toString(size), balloon.toString()),
                Duration.ofSeconds(20), null);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("cannot fill " + mountPoint + ": " + r);
        }
    }

    /** Removes the balloon: the space is free again. */
    public void deflate() {
        try {
            Files.deleteIfExists(balloon);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void unmount() {
        CommandResult r = Commands.run(List.of("umount", mountPoint.toString()), Duration.ofSeconds(20), null);
        if (r.exitCode() != 0) {
            // something still holds a file open (a QEMU the test did not stop): detach it anyway
            Commands.run(List.of("umount", "-l", mountPoint.toString()), Duration.ofSeconds(20), null);
        }
    }

    @Override
    public void close() {
        cleanup.run();
    }
}
