package io.qemucompose.cli.command;

import io.qemucompose.events.ProjectEvent;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads the daemon's {@code GET /events} (Server-Sent Events) from its Unix socket. The JDK's
 * HttpClient cannot speak over a Unix socket, and this one request does not justify a client
 * library on the one-shot path: a GET, then chunked transfer decoding and {@code data:} lines.
 */
final class ApiEventStream {

    private ApiEventStream() {}

    /** Connects when the daemon's socket exists and answers; empty when no daemon serves it. */
    static Optional<SocketChannel> connect(Path socket) {
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        try {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            return Optional.of(channel);
        } catch (IOException e) {
            return Optional.empty(); // a socket left by a daemon that is gone
        }
    }

    /** Sends the request and calls {@code sink} per event until the daemon closes the stream. */
    static void follow(SocketChannel channel, Consumer<ProjectEvent> sink, Runnable opened) throws IOException {
        channel.write(java.nio.ByteBuffer.wrap(("GET /events HTTP/1.1\r\nHost: localhost\r\n"
                + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
        InputStream in = new BufferedInputStream(Channels.newInputStream(channel));
        String status = line(in);
        if (status == null || !status.matches("HTTP/1\\.1 200.*")) {
            throw new IOException("the daemon answered " + status + " to GET /events");
        }
        boolean chunked = false;
        for (String header; (header = line(in)) != null && !header.isEmpty(); ) {
            chunked |= header.toLowerCase(java.util.Locale.ROOT).matches("transfer-encoding:\\s*chunked");
        }
        InputStream body = chunked ? new Dechunked(in) : in;
        opened.run();
        for (String l; (l = line(body)) != null; ) {
            if (l.startsWith("data:")) {
                sink.accept(ProjectEvent.fromJson(l.substring(5).strip()));
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            bytes.write(b);
        }
        if (b == -1 && bytes.size() == 0) {
            return null;
        }
        String s = bytes.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** HTTP/1.1 chunked transfer coding (RFC 9112 §7.1), without trailers. */
    private static final class Dechunked extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        Dechunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line(in);
                if (size != null && size.isEmpty()) {
                    size = line(in); // the CRLF after the previous chunk
                }
                if (size == null || (left = Long.parseLong(size.split(";")[0].strip(), 16)) == 0) {
                    done = true;
                    return -1;
                }
            }
            left--;
            return in.read();
        }
    }
}
