package io.qemucompose.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands out loopback TCP ports that no other test takes meanwhile, in this JVM or another.
 *
 * <p>The port is usually bound later by another program (QEMU's hostfwd), so we cannot hold a
 * ServerSocket until then. Instead each lease holds an exclusive lock on
 * {@code /tmp/qemu-compose-test/ports/<port>.lock} (released by the kernel if the JVM dies) plus
 * an in-JVM set, and a port is handed out only if nobody holds its lock and it binds right now.
 * Ports come from 20000-32767, below Linux's ephemeral range (32768+), so outgoing connections of
 * other programs do not land on them either.
 */
public final class FreePorts {

    private static final Path DIR = Path.of("/tmp/qemu-compose-test/ports");
    private static final int LOW = 20000;
    private static final int HIGH = 32767;
    private static final Set<Integer> LEASED_HERE = ConcurrentHashMap.newKeySet();

    /** A reserved port; close it when the program that bound it has exited. */
    public record PortLease(int port, FileChannel lockFile, FileLock lock) implements AutoCloseable {
        @Override
        public void close() {
            try {
                lock.release();
                lockFile.close();
            } catch (IOException ignored) {
                // closing releases the lock anyway
            } finally {
                LEASED_HERE.remove(port);
            }
        }
    }

    private FreePorts() {
    }

    public static PortLease lease() {
        try {
            Files.createDirectories(DIR);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int span = HIGH - LOW + 1;
        int start = ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span; i++) {
            int port = LOW + (start + i) % span;
            if (!LEASED_HERE.add(port)) {
                continue;
            }
            PortLease lease = tryLease(port);
            if (lease != null) {
                return lease;
            }
            LEASED_HERE.remove(port);
        }
        throw new IllegalStateException("no free port in " + LOW + "-" + HIGH);
    }

    private static PortLease tryLease(int port) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(DIR.resolve(port + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                return null; // another JVM holds it
            }
            if (!bindable(port)) {
                lock.release();
                channel.close();
                return null;
            }
            return new PortLease(port, channel, lock);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing held
                }
            }
            return null;
        }
    }

    private static boolean bindable(int port) {
        try (var socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
