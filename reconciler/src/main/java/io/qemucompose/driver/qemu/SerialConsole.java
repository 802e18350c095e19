package io.qemucompose.driver.qemu;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An attached session on a VM's serial console socket ({@code console.sock}).
 *
 * <p>QEMU's chardev socket server takes one client. A second client's connect <em>succeeds</em> (the
 * kernel parks it in the listen backlog), it then sees nothing and its keystrokes go nowhere until the
 * first client leaves, when QEMU silently hands it the console. {@link #attach} refuses that situation
 * with {@link ConsoleBusyException} instead, by looking at the socket's peers in /proc/net/unix before
 * and after connecting.
 */
public final class SerialConsole implements AutoCloseable {

    /** Ctrl+], as telnet and virsh console use it. */
    public static final int DETACH_BYTE = 0x1d;

    public enum Detach {
        /** The user typed the detach key. */
        DETACH_KEY,
        /** QEMU closed the console (the VM stopped). */
        CONSOLE_CLOSED,
        /** The user's input ended (stdin closed). */
        INPUT_CLOSED
    }

    private final Path socket;
    private final SocketChannel channel;

    private SerialConsole(Path socket, SocketChannel channel) {
        this.socket = socket;
        this.channel = channel;
    }

    /**
     * Connects to the console socket of a running VM.
     *
     * @throws ConsoleBusyException when another client is attached
     * @throws IOException          when the socket does not exist or refuses (VM not running)
     */
    public static SerialConsole attach(Path consoleSocket, Duration acceptTimeout) throws IOException {
        Path socket = consoleSocket.toAbsolutePath().normalize();
        if (UnixSocketClients.of(socket).accepted() > 0) {
            throw busy(socket);
        }
        SocketChannel channel = UnixSockets.connect(socket, Duration.ZERO);
        // QEMU accepts from its main loop, within milliseconds; a connection still waiting after that is parked behind another client
        long deadline = System.nanoTime() + acceptTimeout.toNanos();
        while (UnixSocketClients.of(socket).waiting() > 0) {
            if (System.nanoTime() - deadline >= 0) {
                channel.close();
                throw busy(socket);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        return new SerialConsole(socket, channel);
    }

    private static ConsoleBusyException busy(Path socket) {
        return new ConsoleBusyException("the console " + socket
                + " is attached elsewhere (another 'qemu-compose console' or socat); QEMU allows one client at a time");
    }

    /** Reads console output into {@code buffer}; -1 when QEMU closed the console. */
    public int read(ByteBuffer buffer) throws IOException {
        return channel.read(buffer);
    }

    public void write(ByteBuffer bytes) throws IOException {
        UnixSockets.writeFully(channel, bytes);
    }

    /**
     * Copies console output to {@code terminalOut} and {@code terminalIn} to the console until the user
     * types {@link #DETACH_BYTE}, QEMU closes the console, or the input ends. The caller puts the terminal
     * in raw mode and restores it afterwards.
     */
    public Detach bridge(InputStream terminalIn, OutputStream terminalOut) throws IOException {
        var outcome = new CompletableFuture<Detach>();
        Thread output = Thread.ofVirtual().name("console-out").start(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            try {
                while (channel.read(buffer) >= 0) {
                    terminalOut.write(buffer.array(), 0, buffer.position());
                    terminalOut.flush();
                    buffer.clear();
                }
                outcome.complete(Detach.CONSOLE_CLOSED);
            } catch (IOException e) {
                outcome.complete(Detach.CONSOLE_CLOSED);
            }
        });
        // stdin cannot be interrupted: the input thread may outlive the session, blocked in read(); it is a daemon
        Thread.ofVirtual().name("console-in").start(() -> {
            byte[] buffer = new byte[1024];
            try {
                int n;
                while ((n = terminalIn.read(buffer)) >= 0) {
                    int detachAt = indexOf(buffer, n, (byte) DETACH_BYTE);
                    int upTo = detachAt >= 0 ? detachAt : n;
                    if (upTo > 0 && !outcome.isDone()) {
                        write(ByteBuffer.wrap(buffer, 0, upTo));
                    }
                    if (detachAt >= 0) {
                        outcome.complete(Detach.DETACH_KEY);
                        return;
                    }
                }
                outcome.complete(Detach.INPUT_CLOSED);
            } catch (IOException e) {
                outcome.complete(Detach.CONSOLE_CLOSED);
            }
        });
        try {
            return outcome.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Detach.INPUT_CLOSED;
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } finally {
            close();
            output.interrupt();
        }
    }

    private static int indexOf(byte[] bytes, int length, byte wanted) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    public Path socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
