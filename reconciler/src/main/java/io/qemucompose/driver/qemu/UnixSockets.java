package io.qemucompose.driver.qemu;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Connecting to the sockets QEMU serves, which appear a moment after QEMU starts. */
final class UnixSockets {

    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

    private UnixSockets() {
    }

    /**
     * Connects, retrying while the socket does not exist yet or refuses (QEMU still starting) until the
     * timeout; the last failure is rethrown.
     */
    static SocketChannel connect(Path socket, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        var address = UnixDomainSocketAddress.of(socket);
        while (true) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(address);
                return channel;
            } catch (IOException e) {
                channel.close();
                if (System.nanoTime() - deadline >= 0) {
                    throw new IOException("cannot connect to " + socket + " within " + timeout.toMillis()
                            + " ms: " + e.getMessage(), e);
                }
                LockSupport.parkNanos(RETRY_NANOS);
            }
        }
    }

    static void writeFully(SocketChannel channel, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            channel.write(data);
        }
    }
}
