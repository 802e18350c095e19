package io.qemucompose.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The project's exclusive lock: one qemu-compose process at a time may change {@code .qemu-compose/}.
 *
 * <p>Across processes it is a {@code fcntl} lock ({@link FileChannel#tryLock()}) on the lock file,
 * which the kernel releases when the holder dies, so a {@code kill -9} never leaves a stale lock.
 * The holder writes its pid into the file's first line so a waiter can say who is in the way; the
 * file is never truncated and never opened through a symlink.
 *
 * <p>Within one process it is reentrant per thread and exclusive between threads. The table of
 * held locks is static on purpose: POSIX record locks belong to the whole process (a second
 * {@code FileChannel.lock} on the same file from the same JVM throws), so the bookkeeping must
 * be process-wide too.
 */
public final class ProjectLock {

    /** fcntl locks offer no wake-up notification, so a waiter re-tries at this pace until its deadline. */
    private static final Duration RETRY_PAUSE = Duration.ofMillis(25);

    private static final ConcurrentHashMap<Path, Entry> HELD = new ConcurrentHashMap<>();

    private ProjectLock() {
    }

    /** A held lock; {@link #close()} releases one level of reentrancy. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    public static Held acquire(Path lockFile, Duration timeout) {
        Path key = lockFile.toAbsolutePath().normalize();
        Entry entry = HELD.computeIfAbsent(key, Entry::new);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!entry.threads.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new ProjectLockedException("another operation of this qemu-compose process holds the project lock "
                        + key + " (waited " + timeout.toSeconds() + " s)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProjectLockedException("interrupted while waiting for the project lock " + key);
        }
        try {
            if (entry.threads.getHoldCount() == 1) {
                entry.lockFile(deadline, timeout);
            }
            return entry::release;
        } catch (RuntimeException e) {
            entry.threads.unlock();
            throw e;
        }
    }

    private static final class Entry {
        private final Path path;
        private final ReentrantLock threads = new ReentrantLock();
        private FileChannel channel;
        private FileLock fileLock;

        Entry(Path path) {
            this.path = path;
        }

        void lockFile(long deadline, Duration timeout) {
            try {
                StateDirectory.ensure(path.getParent());
                // never through a link: a committed `.qemu-compose/lock -> ~/.bashrc` must not get our pid
                StateDirectory.requireRegularOrAbsent(path);
                channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                while ((fileLock = channel.tryLock()) == null) {
                    if (System.nanoTime() - deadline >= 0) {
                        String holder = holderPid();
                        closeChannel();
                        throw new ProjectLockedException("another qemu-compose (pid " + holder
                                + ") holds the project lock " + path + " (waited " + timeout.toSeconds() + " s)");
                    }
                    LockSupport.parkNanos(RETRY_PAUSE.toNanos());
                }
                // No truncate: the first line is the pid, whatever a longer earlier pid left after it.
                byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
                channel.write(ByteBuffer.wrap(pid), 0);
            } catch (IOException e) {
                closeChannel();
                throw new UncheckedIOException("cannot lock " + path + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                closeChannel();
                throw e;
            }
        }

        private String holderPid() {
            try {
                ByteBuffer head = ByteBuffer.allocate(32);
                channel.read(head, 0);
                String text = new String(head.array(), 0, head.position(), StandardCharsets.US_ASCII);
                String first = text.lines().findFirst().orElse("").strip();
                return first.matches("[0-9]+") ? first : "unknown";
            } catch (IOException e) {
                return "unknown";
            }
        }

        void release() {
            if (!threads.isHeldByCurrentThread()) {
                throw new IllegalStateException("project lock " + path + " released by a thread that does not hold it");
            }
            if (threads.getHoldCount() == 1) {
                closeChannel();
            }
            threads.unlock();
        }

        private void closeChannel() {
            try {
                if (fileLock != null) {
                    fileLock.release();
                }
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // closing the channel releases the lock anyway
            } finally {
                fileLock = null;
                channel = null;
            }
        }
    }
}
