package io.qemucompose.driver.qemu;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Splits what QMP or the guest agent send into newline-terminated messages, reading with
 * {@link SocketChannel#read(ByteBuffer)}: stream adapters over one blocking channel share a lock and
 * deadlock a reader against a writer.
 */
final class JsonLines {

    private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    /** The guest agent prefixes the reply to guest-sync-delimited with 0xFF: whatever came before is stale. */
    private static final byte SYNC_DELIMITER = (byte) 0xFF;

    private final SocketChannel channel;
    private final boolean resetOnSyncDelimiter;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).flip();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    JsonLines(SocketChannel channel, boolean resetOnSyncDelimiter) {
        this.channel = channel;
        this.resetOnSyncDelimiter = resetOnSyncDelimiter;
    }

    /** The next message without its line terminator, or {@code null} at end of stream. */
    byte[] next() throws IOException {
        while (true) {
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (b == '\n') {
                    byte[] message = line.toByteArray();
                    line.reset();
                    if (isBlank(message)) {
                        continue;
                    }
                    return message;
                }
                if (b == SYNC_DELIMITER && resetOnSyncDelimiter) {
                    line.reset();
                    continue;
                }
                if (line.size() >= MAX_MESSAGE_BYTES) {
                    throw new IOException("message longer than " + MAX_MESSAGE_BYTES + " bytes");
                }
                line.write(b);
            }
            buffer.clear();
            int read = channel.read(buffer);
            buffer.flip();
            if (read < 0) {
                return null;
            }
        }
    }

    private static boolean isBlank(byte[] message) {
        for (byte b : message) {
            if (b != ' ' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }
}
