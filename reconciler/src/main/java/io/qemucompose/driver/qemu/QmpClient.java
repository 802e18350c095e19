package io.qemucompose.driver.qemu;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A client of QEMU's QMP monitor on a Unix socket. A virtual reader thread sorts what QEMU sends into
 * replies (matched to commands by {@code id}) and asynchronous events.
 *
 * <p>QEMU serves one QMP client at a time: a second client's connect succeeds (the kernel queues it)
 * but QEMU ignores it until the first leaves, so {@link #connect} reports a missing greeting as
 * "in use by another client". Keep connections short.
 *
 * <p>Events are queued per name from the moment of connection, so {@link #awaitEvent} also sees an event
 * that arrived before it was called (POWERDOWN can arrive before the reply to system_powerdown).
 */
public final class QmpClient implements AutoCloseable {

    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final int EVENTS_KEPT_PER_NAME = 64;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path socket;
    private final SocketChannel channel;
    private final CompletableFuture<JsonNode> greeting = new CompletableFuture<>();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final List<Consumer<QmpEvent>> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock eventLock = new ReentrantLock();
    private final Condition eventsChanged = eventLock.newCondition();
    private final Map<String, ArrayDeque<QmpEvent>> events = new HashMap<>();
    private volatile boolean disconnected;

    private QmpClient(Path socket, SocketChannel channel) {
        this.socket = socket;
        this.channel = channel;
    }

    /**
     * Connects (retrying while QEMU creates the socket), reads the greeting and negotiates capabilities,
     * all within {@code timeout}.
     */
    public static QmpClient connect(Path socket, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SocketChannel channel;
        try {
            channel = UnixSockets.connect(socket, timeout);
        } catch (IOException e) {
            throw new QmpException("QMP socket " + socket + " is not reachable: " + e.getMessage(), e);
        }
        var client = new QmpClient(socket, channel);
        Thread.ofVirtual().name("qmp-reader " + socket.getFileName()).start(client::readLoop);
        try {
            client.greeting.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            client.execute("qmp_capabilities", Map.of(), Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            return client;
        } catch (TimeoutException e) {
            client.close();
            throw new QmpException("no QMP greeting on " + socket + " within " + timeout.toMillis()
                    + " ms: QEMU serves one QMP client at a time and another one is probably connected");
        } catch (ExecutionException e) {
            client.close();
            throw new QmpException("QMP connection to " + socket + " closed before the greeting", e.getCause());
        } catch (InterruptedException e) {
            client.close();
            Thread.currentThread().interrupt();
            throw new QmpException("interrupted while connecting to " + socket, e);
        } catch (QmpException e) {
            client.close();
            throw e;
        }
    }

    /** QEMU's version from the greeting, e.g. {@code 7.2.22}. */
    public String qemuVersion() {
        JsonNode q = greeting.join().path("QMP").path("version").path("qemu");
        return q.path("major").asInt() + "." + q.path("minor").asInt() + "." + q.path("micro").asInt();
    }

    public JsonNode execute(String command) {
        return execute(command, Map.of(), DEFAULT_COMMAND_TIMEOUT);
    }

    public JsonNode execute(String command, Map<String, ?> arguments) {
        return execute(command, arguments, DEFAULT_COMMAND_TIMEOUT);
    }

    /** Runs one command and returns its {@code return} value; QEMU's errors become {@link QmpException}. */
    public JsonNode execute(String command, Map<String, ?> arguments, Duration timeout) {
        long id = ids.incrementAndGet();
        var reply = new CompletableFuture<JsonNode>();
        pending.put(id, reply);
        // checked after registering, so a disconnect racing with this call cannot leave the reply unanswered
        if (disconnected) {
            pending.remove(id);
            throw new QmpException("QMP connection to " + socket + " is closed (QEMU exited?)");
        }
        ObjectNode request = JSON.createObjectNode().put("execute", command).put("id", id);
        if (!arguments.isEmpty()) {
            request.set("arguments", JSON.valueToTree(arguments));
        }
        try {
            send(JSON.writeValueAsBytes(request));
            JsonNode answer = reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (answer.has("error")) {
                JsonNode error = answer.path("error");
                throw new QmpException("QMP " + command + " failed: " + error.path("desc").asString(),
                        error.path("class").asString(), null);
            }
            return answer.path("return");
        } catch (TimeoutException e) {
            throw new QmpException("QMP " + command + " got no reply within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof QmpException q ? q
                    : new QmpException("QMP " + command + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException("interrupted while waiting for QMP " + command, e);
        } finally {
            pending.remove(id);
        }
    }

    public RunState queryStatus() {
        return RunState.fromQmp(execute("query-status").path("status").asString());
    }

    /** Pauses the guest's CPUs (a STOP event follows). */
    public void stop() {
        execute("stop");
    }

    /** Resumes the guest's CPUs (a RESUME event follows). */
    public void cont() {
        execute("cont");
    }

    /** Presses the ACPI power button; a guest that listens shuts down, QEMU then emits SHUTDOWN and exits. */
    public void systemPowerdown() {
        execute("system_powerdown");
    }

    /** Ends QEMU at once (no guest shutdown). QEMU may close the socket before it replies: both count as done. */
    public void quit() {
        try {
            execute("quit");
        } catch (QmpException e) {
            if (!disconnected && e.errorClass().isPresent()) {
                throw e;
            }
        }
    }

    /** Runs a human monitor (HMP) command, e.g. {@code info chardev}, and returns its text output. */
    public String humanMonitorCommand(String commandLine) {
        return execute("human-monitor-command", Map.of("command-line", commandLine)).asString();
    }

    /** Calls the listener for every later event, on the reader thread (keep it short). */
    public AutoCloseable addEventListener(Consumer<QmpEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Takes the oldest not yet awaited event of this name received since connecting, waiting up to
     * {@code timeout}; empty on timeout or when the connection closes first.
     */
    public Optional<QmpEvent> awaitEvent(String name, Duration timeout) {
        long remaining = timeout.toNanos();
        eventLock.lock();
        try {
            while (true) {
                ArrayDeque<QmpEvent> queue = events.get(name);
                if (queue != null && !queue.isEmpty()) {
                    return Optional.of(queue.removeFirst());
                }
                if (disconnected || remaining <= 0) {
                    return Optional.empty();
                }
                remaining = eventsChanged.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            eventLock.unlock();
        }
    }

    /** Waits until QEMU closes the connection (it exits); true if it did within the timeout. */
    public boolean awaitDisconnect(Duration timeout) {
        long remaining = timeout.toNanos();
        eventLock.lock();
        try {
            while (!disconnected) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = eventsChanged.awaitNanos(remaining);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return disconnected;
        } finally {
            eventLock.unlock();
        }
    }

    public boolean isConnected() {
        return !disconnected;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a socket whose peer is gone is not worth reporting
        }
    }

    private void send(byte[] message) {
        writeLock.lock();
        try {
            UnixSockets.writeFully(channel, ByteBuffer.wrap(message));
            UnixSockets.writeFully(channel, ByteBuffer.wrap(new byte[] {'\n'}));
        } catch (IOException e) {
            throw new QmpException("cannot write to QMP socket " + socket + ": " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    private void readLoop() {
        var lines = new JsonLines(channel, false);
        try {
            byte[] line;
            while ((line = lines.next()) != null) {
                dispatch(line);
            }
        } catch (IOException e) {
            // the socket was closed by us or by QEMU: both end the session below
        } finally {
            markDisconnected();
        }
    }

    private void dispatch(byte[] line) {
        JsonNode message;
        try {
            message = JSON.readTree(line);
        } catch (JacksonException e) {
            return; // QMP speaks JSON only; a broken line cannot be matched to anything
        }
        if (message.has("QMP")) {
            greeting.complete(message);
        } else if (message.has("event")) {
            JsonNode ts = message.path("timestamp");
            var event = new QmpEvent(message.path("event").asString(), message.path("data"),
                    Instant.ofEpochSecond(ts.path("seconds").asLong(), ts.path("microseconds").asLong() * 1000));
            eventLock.lock();
            try {
                ArrayDeque<QmpEvent> queue = events.computeIfAbsent(event.name(), n -> new ArrayDeque<>());
                if (queue.size() == EVENTS_KEPT_PER_NAME) {
                    queue.removeFirst();
                }
                queue.addLast(event);
                eventsChanged.signalAll();
            } finally {
                eventLock.unlock();
            }
            listeners.forEach(l -> l.accept(event));
        } else if (message.has("id")) {
            CompletableFuture<JsonNode> reply = pending.get(message.path("id").asLong());
            if (reply != null) {
                reply.complete(message);
            }
        }
    }

    private void markDisconnected() {
        eventLock.lock();
        try {
            disconnected = true;
            eventsChanged.signalAll();
        } finally {
            eventLock.unlock();
        }
        var closed = new QmpException("QMP connection to " + socket + " closed (QEMU exited?)");
        greeting.completeExceptionally(closed);
        pending.values().forEach(f -> f.completeExceptionally(closed));
        close();
    }
}
