package io.qemucompose.driver.image;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on 127.0.0.1 serving files with Range support, able to cut a transfer
 * midway (close the connection after N bytes) or to stall (stop sending without closing).
 */
final class ImageServer implements AutoCloseable {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final AtomicInteger cutAfter = new AtomicInteger(-1);
    private final AtomicInteger stallAfter = new AtomicInteger(-1);
    private final CountDownLatch released = new CountDownLatch(1);
    final List<String> rangeHeaders = new CopyOnWriteArrayList<>();
    final List<String> ifRangeHeaders = new CopyOnWriteArrayList<>();
    final AtomicInteger requests = new AtomicInteger();
    /** The validator sent as {@code ETag}; a Range whose {@code If-Range} differs gets the whole file (RFC 9110 13.1.5). */
    volatile String etag;

    ImageServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    void serve(String path, byte[] content) {
        files.put(path, content);
    }

    /** The next response closes the connection after {@code bytes} bytes of body. */
    void cutNextAfter(int bytes) {
        cutAfter.set(bytes);
    }

    /** The next response stops sending after {@code bytes} bytes and keeps the connection open. */
    void stallNextAfter(int bytes) {
        stallAfter.set(bytes);
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        byte[] content = files.get(exchange.getRequestURI().getPath());
        if (content == null) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        String range = exchange.getRequestHeaders().getFirst("Range");
        rangeHeaders.add(String.valueOf(range));
        String ifRange = exchange.getRequestHeaders().getFirst("If-Range");
        ifRangeHeaders.add(String.valueOf(ifRange));
        if (etag != null) {
            exchange.getResponseHeaders().add("ETag", etag);
        }
        if (range != null && ifRange != null && !ifRange.equals(etag)) {
            range = null;
        }
        int start = 0;
        if (range != null) {
            Matcher m = RANGE.matcher(range);
            if (m.matches()) {
                start = Integer.parseInt(m.group(1));
            }
            if (start >= content.length) {
                exchange.getResponseHeaders().add("Content-Range", "bytes */" + content.length);
                exchange.sendResponseHeaders(416, -1);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().add("Content-Range",
                    "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
            exchange.sendResponseHeaders(206, content.length - start);
        } else {
            exchange.sendResponseHeaders(200, content.length);
        }
        int cut = cutAfter.getAndSet(-1);
        int stall = stallAfter.getAndSet(-1);
        OutputStream body = exchange.getResponseBody();
        int end = content.length;
        if (cut >= 0) {
            end = Math.min(end, start + cut);
        } else if (stall >= 0) {
            end = Math.min(end, start + stall);
        }
        body.write(content, start, end - start);
        body.flush();
        if (stall >= 0) {
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // closing with fewer bytes than announced drops the connection: the client sees a cut transfer
        exchange.close();
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
