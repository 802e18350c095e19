package io.qemucompose.driver.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads one URL into a {@code .part} file, resuming from the bytes already there with an HTTP
 * {@code Range} request. The part file is kept on failure so that the next run resumes.
 *
 * <p>A part is resumed only when a record beside it ({@code .<name>.part.source}) says it came
 * from the same URL and names the server's validator for it (a strong {@code ETag}, else
 * {@code Last-Modified}); the range request carries that validator in {@code If-Range}, so a
 * server whose file changed answers with the whole new file (200) instead of appending the new
 * file's tail to the old file's head. A part without such a record is started over.
 */
final class HttpDownload {

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes \\*/(\\d+)");
    private static final long PROGRESS_EVERY_NANOS = Duration.ofMillis(200).toNanos();

    private final HttpClient client;
    private final Duration responseTimeout;
    private final Duration stallTimeout;

    HttpDownload(HttpClient client, Duration responseTimeout, Duration stallTimeout) {
        this.client = client;
        this.responseTimeout = responseTimeout;
        this.stallTimeout = stallTimeout;
    }

    /** @return whether an existing part was resumed */
    boolean download(URI url, Path part, Path partSource, String label, PullProgress.Listener listener) {
        long offset = 0;
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(responseTimeout).GET();
        if (Files.isRegularFile(part)) {
            Optional<String> validator = PartSource.read(partSource)
                    .filter(source -> source.url().equals(url.toString()))
                    .flatMap(PartSource::validator);
            if (validator.isPresent() && size(part) > 0) {
                offset = size(part);
                request.header("Range", "bytes=" + offset + "-");
                request.header("If-Range", validator.get());
            } else {
                deleteQuietly(part);
                deleteQuietly(partSource);
            }
        }
        HttpResponse<InputStream> response = send(request.build(), url);
        int status = response.statusCode();
        long total;
        boolean append;
        try (InputStream body = response.body()) {
            switch (status) {
                case 200 -> {
                    append = false; // no range support, a changed file, or a fresh download: start over
                    total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                    PartSource.of(url, response.headers()).write(partSource);
                }
                case 206 -> {
                    String range = response.headers().firstValue("Content-Range").orElse("");
                    Matcher m = CONTENT_RANGE.matcher(range);
                    if (!m.matches() || Long.parseLong(m.group(1)) != offset) {
                        throw new ImagePullException("server answered range " + offset + "- with '" + range
                                + "' for " + url + "; remove " + part + " and pull again");
                    }
                    append = true;
                    total = "*".equals(m.group(3)) ? -1 : Long.parseLong(m.group(3));
                }
                case 416 -> {
                    // Range starts at or past the end: the part is complete if its size is the image's size
                    Matcher m = UNSATISFIED_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
                    if (m.matches() && Long.parseLong(m.group(1)) == offset) {
                        listener.onProgress(new PullProgress(label, offset, offset, 0, false));
                        return true;
                    }
                    deleteQuietly(part);
                    throw new ImagePullException("partial download of " + url + " no longer matches the server's file; "
                            + "it was removed, pull again");
                }
                case 404, 410 -> throw new ImagePullException("image not found: " + url + " (HTTP " + status + ")");
                default -> throw new ImagePullException("cannot download " + url + ": HTTP " + status);
            }
            copy(body, part, append, append ? offset : 0, total, url, label, listener);
            return append;
        } catch (IOException e) {
            throw new ImagePullException("download of " + url + " failed: " + e.getMessage()
                    + " (partial download kept; pull again to resume)", e);
        }
    }

    private HttpResponse<InputStream> send(HttpRequest request, URI url) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new ImagePullException("timed out connecting to " + hostPort(url) + " for " + url, e);
        } catch (HttpTimeoutException e) {
            throw new ImagePullException("no answer from " + hostPort(url) + " within "
                    + responseTimeout.toSeconds() + " s for " + url, e);
        } catch (ConnectException e) {
            throw new ImagePullException("cannot connect to " + hostPort(url) + " (connection refused) for " + url, e);
        } catch (IOException e) {
            throw new ImagePullException("cannot download " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImagePullException("download of " + url + " interrupted", e);
        }
    }

    private void copy(InputStream body, Path part, boolean append, long start, long total, URI url, String label,
                      PullProgress.Listener listener) throws IOException {
        AtomicLong lastData = new AtomicLong(System.nanoTime());
        AtomicBoolean finished = new AtomicBoolean();
        AtomicBoolean stalled = new AtomicBoolean();
        // HttpClient has no read timeout once headers arrived: a watchdog closes a body that stops flowing
        Thread watchdog = Thread.ofVirtual().start(() -> {
            while (!finished.get()) {
                long idle = System.nanoTime() - lastData.get();
                if (idle >= stallTimeout.toNanos()) {
                    stalled.set(true);
                    closeQuietly(body);
                    return;
                }
                LockSupport.parkNanos(stallTimeout.toNanos() - idle);
            }
        });
        long written = start;
        long begin = System.nanoTime();
        long lastReport = 0;
        var options = append
                ? new StandardOpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND}
                : new StandardOpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING};
        try (OutputStream out = Files.newOutputStream(part, options)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = readOrStall(body, buffer, stalled)) > 0) {
                out.write(buffer, 0, n);
                written += n;
                long now = System.nanoTime();
                lastData.set(now);
                if (now - lastReport >= PROGRESS_EVERY_NANOS) {
                    lastReport = now;
                    listener.onProgress(new PullProgress(label, written, total, rate(written - start, begin), false));
                }
            }
        } finally {
            finished.set(true);
            LockSupport.unpark(watchdog);
        }
        if (stalled.get()) {
            throw new IOException("no data for " + stallTimeout.toSeconds() + " s");
        }
        if (total >= 0 && written != total) {
            throw new IOException("connection closed after " + written + " of " + total + " bytes");
        }
        listener.onProgress(new PullProgress(label, written, total < 0 ? written : total, rate(written - start, begin),
                false));
    }

    private static int readOrStall(InputStream body, byte[] buffer, AtomicBoolean stalled) throws IOException {
        try {
            return body.read(buffer);
        } catch (IOException e) {
            if (stalled.get()) {
                return -1;
            }
            throw e;
        }
    }

    static double rate(long bytes, long beginNanos) {
        double seconds = (System.nanoTime() - beginNanos) / 1e9;
        return seconds <= 0 ? 0 : bytes / seconds;
    }

    private static String hostPort(URI url) {
        return url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // reported by the caller's next attempt
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the reader sees the close as end of stream or an error, both handled
        }
    }
}
