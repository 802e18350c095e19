package io.qemucompose.it.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Serves fixed files on 127.0.0.1 with HTTP Range support (as image mirrors do), recording the Range headers seen. */
final class ImageServer implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final List<String> ranges = new CopyOnWriteArrayList<>();
    final List<String> ifRanges = new CopyOnWriteArrayList<>();
    private final Map<String, String> etags = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger cutAfter = new java.util.concurrent.atomic.AtomicInteger(-1);

    ImageServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI put(String name, byte[] content) {
        files.put("/" + name, content);
        // a new ETag per content, as a mirror that replaced the file would send
        etags.put("/" + name, "\"" + Integer.toHexString(java.util.Arrays.hashCode(content)) + "\"");
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + name);
    }

    /** The next response closes the connection after {@code bytes} bytes of body: an interrupted download. */
    void cutNextAfter(int bytes) {
        cutAfter.set(bytes);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = files.get(ex.getRequestURI().getPath());
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            String range = ex.getRequestHeaders().getFirst("Range");
            String etag = etags.get(ex.getRequestURI().getPath());
            ex.getResponseHeaders().add("ETag", etag);
            String ifRange = ex.getRequestHeaders().getFirst("If-Range");
            if (ifRange != null) {
                ifRanges.add(ifRange);
            }
            int from = 0;
            if (range != null && range.startsWith("bytes=") && (ifRange == null || ifRange.equals(etag))) {
                ranges.add(range);
                from = Integer.parseInt(range.substring(6, range.indexOf('-')));
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
                ex.getResponseHeaders().add("Accept-Ranges", "bytes");
                ex.sendResponseHeaders(206, body.length - from);
            } else {
                ex.getResponseHeaders().add("Accept-Ranges", "bytes");
                ex.sendResponseHeaders(200, body.length);
            }
            if (!"HEAD".equals(ex.getRequestMethod())) {
                int cut = cutAfter.getAndSet(-1);
                int end = cut >= 0 ? Math.min(body.length, from + cut) : body.length;
                // closing with fewer bytes than announced drops the connection: the client sees a cut transfer
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body, from, end - from);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
