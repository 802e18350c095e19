package io.qemucompose.daemon.api;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One WebSocket bridged byte for byte to a socket of a VM: the serial console ({@code console.sock})
 * for xterm.js, the VNC display for noVNC. Bytes from the VM go out as binary messages from one
 * reader thread (so sends never interleave); the browser's messages, text or binary, go in as they
 * come. Either side closing closes the other.
 */
final class SocketBridge extends Endpoint {

    /** A VM's socket as the bridge sees it. */
    interface Link extends Closeable {
        int read(ByteBuffer buffer) throws IOException;

        void write(ByteBuffer bytes) throws IOException;
    }

    /** Opens the VM's socket; an {@link IOException}'s message is the close reason the browser sees. */
    @FunctionalInterface
    interface Target {
        Link open(String vm) throws IOException;
    }

    /** Large enough for a paste into the console or a burst of noVNC input events in one message. */
    private static final int MAX_MESSAGE = 1 << 20;

    private final Target target;
    private volatile Link link;

    SocketBridge(Target target) {
        this.target = target;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        String vm = session.getPathParameters().get("vm");
        try {
            link = target.open(vm);
        } catch (IOException | RuntimeException e) {
            close(session, CloseReason.CloseCodes.TRY_AGAIN_LATER, e.getMessage());
            return;
        }
        session.setMaxBinaryMessageBufferSize(MAX_MESSAGE);
        session.setMaxTextMessageBufferSize(MAX_MESSAGE);
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) bytes -> write(session, bytes));
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text ->
                write(session, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))));
        Link opened = link;
        Thread.ofVirtual().name("bridge-" + vm).start(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
            try {
                while (opened.read(buffer) >= 0) {
                    buffer.flip();
                    if (buffer.hasRemaining()) {
                        session.getBasicRemote().sendBinary(buffer);
                    }
                    buffer.clear();
                }
                close(session, CloseReason.CloseCodes.NORMAL_CLOSURE, "the VM closed the connection");
            } catch (IOException | IllegalStateException e) {
                close(session, CloseReason.CloseCodes.GOING_AWAY, "the VM's socket closed");
            }
        });
    }

    private void write(Session session, ByteBuffer bytes) {
        try {
            link.write(bytes);
        } catch (IOException e) {
            close(session, CloseReason.CloseCodes.GOING_AWAY, "the VM's socket closed");
        }
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        release();
    }

    @Override
    public void onError(Session session, Throwable error) {
        release();
    }

    private void release() {
        Link l = link;
        if (l != null) {
            try {
                l.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    private static void close(Session session, CloseReason.CloseCode code, String why) {
        try {
            if (session.isOpen()) {
                // a close reason is at most 123 bytes
                String reason = why == null ? "" : why.length() > 120 ? why.substring(0, 120) : why;
                session.close(new CloseReason(code, reason));
            }
        } catch (IOException ignored) {
            // the browser left first
        }
    }
}
