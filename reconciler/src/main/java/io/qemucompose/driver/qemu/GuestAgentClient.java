package io.qemucompose.driver.qemu;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A client of the QEMU guest agent (qemu-ga) through the VM's virtio-serial socket.
 *
 * <p>The agent sends no greeting and may hold replies to commands of an earlier, abandoned client, so
 * every session starts with {@code guest-sync-delimited}: a random id, and the reply prefixed by 0xFF,
 * which marks where the stale bytes end. When the guest's agent is not running (yet), QEMU accepts the
 * connection but nothing answers: {@link #connect} then times out with a clear message.
 */
public final class GuestAgentClient implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNode END_OF_STREAM = JSON.createObjectNode().put("__eof", true);

    private static final Duration SYNC_ATTEMPT = Duration.ofSeconds(5);
    private static final int FILE_CHUNK = 256 * 1024;

    private final Path socket;
    private final SocketChannel channel;
    private final LinkedBlockingQueue<JsonNode> replies = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    private GuestAgentClient(Path socket, SocketChannel channel) {
        this.socket = socket;
        this.channel = channel;
    }

    /** Connects and synchronises with the agent within {@code timeout}. */
    public static GuestAgentClient connect(Path socket, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SocketChannel channel;
        try {
            channel = UnixSockets.connect(socket, timeout);
        } catch (IOException e) {
            throw new GuestAgentException("guest agent socket " + socket + " is not reachable: " + e.getMessage(), e);
        }
        var client = new GuestAgentClient(socket, channel);
        Thread.ofVirtual().name("qga-reader " + socket.getFileName()).start(client::readLoop);
        try {
            // a sync sent before the guest opened its end of the port can be lost: repeat it until the deadline
            while (true) {
                long left = deadline - System.nanoTime();
                try {
                    client.sync(Duration.ofNanos(Math.max(1, Math.min(left, SYNC_ATTEMPT.toNanos()))));
                    return client;
                } catch (GuestAgentException e) {
                    if (client.isClosed() || deadline - System.nanoTime() <= 0) {
                        throw e;
                    }
                }
            }
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Discards stale replies: sends 0xFF (resets the agent's parser) and a sync with a fresh random id. */
    public void sync(Duration timeout) {
        long id = ThreadLocalRandom.current().nextLong(1, Integer.MAX_VALUE);
        send(new byte[] {(byte) 0xFF});
        send(request("guest-sync-delimited", Map.of("id", id)));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode reply = take(deadline, "guest-sync-delimited",
                    "is qemu-guest-agent installed and running in the guest?");
            if (reply.path("return").asLong() == id) {
                return;
            }
        }
    }

    public void ping(Duration timeout) {
        call("guest-ping", Map.of(), timeout);
    }

    /** {@code guest-info}: the agent's version and the commands it supports. */
    public JsonNode info(Duration timeout) {
        return call("guest-info", Map.of(), timeout);
    }

    public enum ShutdownMode { POWERDOWN, HALT, REBOOT }

    /**
     * Asks the guest to shut down. The agent replies only on failure (it is going away on success), so
     * this waits {@code errorWindow} for an error and treats silence or the socket closing as "sent".
     */
    public void shutdown(ShutdownMode mode, Duration errorWindow) {
        replies.removeIf(r -> r != END_OF_STREAM); // keep the end-of-stream marker
        send(request("guest-shutdown", Map.of("mode", mode.name().toLowerCase(java.util.Locale.ROOT))));
        long deadline = System.nanoTime() + errorWindow.toNanos();
        try {
            JsonNode reply = replies.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (reply != null && reply.has("error")) {
                throw new GuestAgentException("guest-shutdown failed: " + reply.path("error").path("desc").asString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public record ExecResult(int exitCode, String stdout, String stderr) {
    }

    /** Runs a program in the guest ({@code guest-exec}), polling {@code guest-exec-status} until it exits. */
    public ExecResult exec(List<String> argv, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode started = call("guest-exec", Map.of("path", argv.getFirst(), "arg", argv.subList(1, argv.size()),
                "capture-output", true), timeout);
        long pid = started.path("pid").asLong();
        long pollNanos = TimeUnit.MILLISECONDS.toNanos(20);
        while (true) {
            JsonNode status = call("guest-exec-status", Map.of("pid", pid),
                    Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (status.path("exited").asBoolean()) {
                return new ExecResult(status.path("exitcode").asInt(-1),
                        decode(status.path("out-data")), decode(status.path("err-data")));
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new GuestAgentException("guest-exec " + argv + " did not finish within " + timeout.toMillis() + " ms");
            }
            LockSupport.parkNanos(pollNanos);
            pollNanos = Math.min(pollNanos * 2, TimeUnit.MILLISECONDS.toNanos(500));
        }
    }

    /**
     * Reads a whole file of the guest ({@code guest-file-open/read/close}). Chunks stay well under
     * the agent's 48 MiB read limit and keep each reply line small.
     */
    public byte[] readFile(String guestPath, Duration timeout) {
        long handle = call("guest-file-open", Map.of("path", guestPath, "mode", "r"), timeout).asLong();
        var out = new java.io.ByteArrayOutputStream();
        try {
            while (true) {
                JsonNode chunk = call("guest-file-read", Map.of("handle", handle, "count", FILE_CHUNK), timeout);
                out.writeBytes(Base64.getDecoder().decode(chunk.path("buf-b64").asString()));
                if (chunk.path("eof").asBoolean() || chunk.path("count").asInt() == 0) {
                    return out.toByteArray();
                }
            }
        } finally {
            call("guest-file-close", Map.of("handle", handle), timeout);
        }
    }

    /** Writes (creates or truncates) a file of the guest with {@code content}. */
    public void writeFile(String guestPath, byte[] content, Duration timeout) {
        long handle = call("guest-file-open", Map.of("path", guestPath, "mode", "w"), timeout).asLong();
        try {
            for (int offset = 0; offset < content.length; offset += FILE_CHUNK) {
                int length = Math.min(FILE_CHUNK, content.length - offset);
                String chunk = Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(content, offset, offset + length));
                call("guest-file-write", Map.of("handle", handle, "buf-b64", chunk), timeout);
            }
            call("guest-file-flush", Map.of("handle", handle), timeout);
        } finally {
            call("guest-file-close", Map.of("handle", handle), timeout);
        }
    }

    /** Runs one command and returns its {@code return} value. */
    public JsonNode call(String command, Map<String, ?> arguments, Duration timeout) {
        replies.removeIf(r -> r != END_OF_STREAM); // keep the end-of-stream marker
        send(request(command, arguments));
        JsonNode reply = take(System.nanoTime() + timeout.toNanos(), command, "the guest agent is busy or gone");
        if (reply.has("error")) {
            throw new GuestAgentException(command + " failed: " + reply.path("error").path("desc").asString());
        }
        return reply.path("return");
    }

    /** True when the agent closed the connection (the guest shut down or the agent stopped). */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do about a socket that will not close
        }
    }

    private JsonNode take(long deadline, String command, String hint) {
        try {
            JsonNode reply = replies.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (reply == null) {
                throw new GuestAgentException("no reply to " + command + " from the guest agent on " + socket + ": " + hint);
            }
            if (reply == END_OF_STREAM) {
                replies.offer(END_OF_STREAM); // later calls must see it too
                throw new GuestAgentException("guest agent connection " + socket + " closed during " + command);
            }
            return reply;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuestAgentException("interrupted while waiting for " + command, e);
        }
    }

    private static byte[] request(String command, Map<String, ?> arguments) {
        ObjectNode request = JSON.createObjectNode().put("execute", command);
        if (!arguments.isEmpty()) {
            request.set("arguments", JSON.valueToTree(arguments));
        }
        byte[] json = JSON.writeValueAsBytes(request);
        byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        return line;
    }

    private void send(byte[] bytes) {
        try {
            UnixSockets.writeFully(channel, ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            throw new GuestAgentException("cannot write to guest agent socket " + socket + ": " + e.getMessage(), e);
        }
    }

    private void readLoop() {
        var lines = new JsonLines(channel, true);
        try {
            byte[] line;
            while ((line = lines.next()) != null) {
                try {
                    replies.offer(JSON.readTree(line));
                } catch (JacksonException e) {
                    // bytes from before a resync; guest-sync-delimited exists to skip them
                }
            }
        } catch (IOException e) {
            // closed by us or by QEMU
        } finally {
            closed = true;
            replies.offer(END_OF_STREAM);
        }
    }

    private static String decode(JsonNode base64) {
        return base64.isMissingNode() ? "" : new String(Base64.getDecoder().decode(base64.asString()), StandardCharsets.UTF_8);
    }
}
