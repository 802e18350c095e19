package io.qemucompose.it.world;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Minimal line-oriented JSON over a Unix socket (QMP, the guest agent), for the smoke test only:
 * the product's QMP/QGA clients must not be what proves the image works. Reads and writes with
 * ByteBuffers on one blocking channel (the stream adapters of one channel deadlock each other).
 */
final class UnixJsonChannel implements AutoCloseable {

    private final SocketChannel channel;
    private final StringBuilder received = new StringBuilder();

    private UnixJsonChannel(SocketChannel channel) {
        this.channel = channel;
        Thread.ofVirtual().start(this::readLoop);
    }

    static UnixJsonChannel open(Path socket) throws IOException {
        var channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        return new UnixJsonChannel(channel);
    }

    void send(String json) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Waits until the text received so far contains {@code needle}; returns all text received. */
    String awaitReceived(String needle, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        synchronized (received) {
            while (received.indexOf(needle) < 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                if (left <= 0 || !channel.isOpen()) {
                    throw new IllegalStateException("no '" + needle + "' within " + deadline + "; got: " + received);
                }
                received.wait(left);
            }
            return received.toString();
        }
    }

    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        try {
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                String chunk = StandardCharsets.UTF_8.decode(buffer).toString();
                buffer.clear();
                synchronized (received) {
                    received.append(chunk);
                    received.notifyAll();
                }
            }
        } catch (IOException closed) {
            // socket closed
        }
        synchronized (received) {
            received.notifyAll();
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
