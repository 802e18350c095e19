package io.qemucompose.driver.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;

import io.qemucompose.state.AtomicFiles;

/**
 * Brings base images into the {@link ImageCache}: resumable HTTP downloads into {@code <name>.part},
 * optional sha256 verification, then an atomic rename — so the cache only ever holds complete,
 * verified images. Local paths and {@code file://} images are checked (exists, checksum) and used in place.
 */
public final class ImagePuller {

    /** What to pull. {@code label} names the progress bar (a VM name or the URL). */
    public record PullRequest(String label, ImageSource source, Optional<Checksum> checksum, boolean force) {
        public static PullRequest of(String label, ImageSource source) {
            return new PullRequest(label, source, Optional.empty(), false);
        }
    }

    /**
     * @param downloaded false when the image was already there (cache hit or a local file)
     * @param resumed    true when a previous partial download was continued
     */
    public record PulledImage(Path path, long sizeBytes, boolean downloaded, boolean resumed) {
    }

    /** The result of one request of {@link #pullAll}. */
    public sealed interface PullOutcome {
        PullRequest request();

        record Pulled(PullRequest request, PulledImage image) implements PullOutcome {
        }

        record Failed(PullRequest request, RuntimeException error) implements PullOutcome {
        }
    }

    private final ImageCache cache;
    private final HttpClient client;
    private final HttpDownload download;
    private final Duration responseTimeout;
    /** Same-JVM pulls of one target take turns; other processes are kept out by a lock on the part file. */
    private final Map<Path, ReentrantLock> inProgress = new ConcurrentHashMap<>();

    public ImagePuller(ImageCache cache) {
        this(cache, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60));
    }

    /**
     * @param connectTimeout  to open the TCP connection
     * @param responseTimeout from request to response headers
     * @param stallTimeout    the longest silence tolerated while the body flows
     */
    public ImagePuller(ImageCache cache, Duration connectTimeout, Duration responseTimeout, Duration stallTimeout) {
        this.cache = cache;
        this.responseTimeout = responseTimeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.download = new HttpDownload(client, responseTimeout, stallTimeout);
    }

    public PulledImage pull(PullRequest request, PullProgress.Listener listener) {
        ImageCache.ResolvedImage resolved = cache.resolve(request.source());
        return switch (request.source()) {
            case ImageSource.Local local -> useLocal(local, request, listener);
            case ImageSource.Remote remote -> pullRemote(remote.url(), resolved.path(), request, listener);
        };
    }

    /**
     * Pulls several images at once, one virtual thread per distinct image (two VMs on one image
     * share a single download). Never throws for one image's failure: each outcome says.
     */
    public List<PullOutcome> pullAll(List<PullRequest> requests, PullProgress.Listener listener) {
        Map<Path, Future<PulledImage>> byTarget = new LinkedHashMap<>();
        List<PullOutcome> outcomes = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<PulledImage>> futures = new ArrayList<>();
            for (PullRequest request : requests) {
                Path target = cache.resolve(request.source()).path();
                futures.add(byTarget.computeIfAbsent(target, t -> threads.submit(() -> pull(request, listener))));
            }
            for (int i = 0; i < requests.size(); i++) {
                outcomes.add(outcome(requests.get(i), futures.get(i)));
            }
        }
        return outcomes;
    }

    private static PullOutcome outcome(PullRequest request, Future<PulledImage> future) {
        try {
            return new PullOutcome.Pulled(request, future.get());
        } catch (ExecutionException e) {
            RuntimeException error = e.getCause() instanceof RuntimeException r ? r
                    : new ImagePullException("pull of " + request.source().ref() + " failed: " + e.getCause(), e.getCause());
            return new PullOutcome.Failed(request, error);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PullOutcome.Failed(request, new ImagePullException("pull interrupted", e));
        }
    }

    private PulledImage useLocal(ImageSource.Local local, PullRequest request, PullProgress.Listener listener) {
        Path path = local.path();
        if (!Files.isRegularFile(path)) {
            throw new ImagePullException("image file not found: " + path);
        }
        if (request.checksum().isPresent()) {
            verify(path, expected(request.checksum().get(), path.getFileName().toString()), path);
        }
        long size = sizeOf(path);
        listener.onProgress(new PullProgress(request.label(), size, size, 0, true));
        return new PulledImage(path, size, false, false);
    }

    private PulledImage pullRemote(URI url, Path resolved, PullRequest request, PullProgress.Listener listener) {
        // downloads always go to the URL-keyed name; resolved may be a file of the earlier bare-name layout
        Path target = cache.dir().resolve(ImageCache.fileNameFor(url));
        ReentrantLock local = inProgress.computeIfAbsent(target, t -> new ReentrantLock());
        local.lock();
        try {
            Files.createDirectories(cache.dir());
            Path part = cache.partFile(target);
            Path partSource = ImageCache.sidecar(part, ".source");
            // a separate lock file: closing any other descriptor of the part file would drop an fcntl lock on it
            Path lockFile = ImageCache.sidecar(target, ".lock");
            try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockChannel.lock()) { // waits for another process pulling the same image
                String sumsName = ImageCache.readableName(url).orElse(target.getFileName().toString());
                // resolve the expected digest first: a wrong SHA256SUMS URL should fail before a long download
                Optional<Checksum.Sha256> expected = request.checksum().map(c -> expected(c, sumsName));
                if (request.force()) {
                    Files.deleteIfExists(target);
                    Files.deleteIfExists(part);
                    Files.deleteIfExists(partSource);
                } else if (Files.isRegularFile(resolved) && (expected.isEmpty() || cachedMatches(resolved, target, expected.get()))) {
                    cache.claimLegacy(resolved, url);
                    long size = sizeOf(resolved);
                    listener.onProgress(new PullProgress(request.label(), size, size, 0, true));
                    return new PulledImage(resolved, size, false, false);
                }
                boolean resumed = download.download(url, part, partSource, request.label(), listener);
                if (expected.isPresent()) {
                    try {
                        verify(part, expected.get(), url);
                    } catch (ImageChecksumException e) {
                        Files.deleteIfExists(part);
                        Files.deleteIfExists(partSource);
                        throw e;
                    }
                }
                AtomicFiles.moveIntoPlace(part, target);
                Files.deleteIfExists(partSource);
                if (expected.isPresent()) {
                    recordVerified(target, expected.get().hex());
                }
                long size = sizeOf(target);
                listener.onProgress(new PullProgress(request.label(), size, size, 0, true));
                return new PulledImage(target, size, true, resumed);
            }
        } catch (IOException e) {
            throw new ImagePullException("cannot write into the image cache " + cache.dir() + ": " + e.getMessage(), e);
        } finally {
            local.unlock();
        }
    }

    /**
     * Whether a cached file holds the expected image. Hashing a multi-GB image on every {@code up}
     * would cost seconds, so a verified digest is recorded beside the file with its size and
     * modification time, and trusted while both are unchanged.
     *
     * @return false for a file of the earlier layout that holds another image (another URL's file
     *         of the same name): the caller downloads this URL's own copy
     * @throws ImageChecksumException when the URL's own cached file does not match
     */
    private static boolean cachedMatches(Path cached, Path urlKeyed, Checksum.Sha256 expected) throws IOException {
        if (expected.hex().equals(recordedDigest(cached).orElse(null))) {
            return true;
        }
        String actual = sha256(cached);
        if (actual.equals(expected.hex())) {
            recordVerified(cached, actual);
            return true;
        }
        if (!cached.equals(urlKeyed)) {
            return false;
        }
        throw new ImageChecksumException("cached image " + cached + " does not match image_checksum: expected sha256:"
                + expected.hex() + ", got sha256:" + actual + "; `qemu-compose pull --force` downloads it again"
                + " (VM disks built on the old file must then be recreated)");
    }

    private static Optional<String> recordedDigest(Path file) throws IOException {
        Path record = ImageCache.sidecar(file, ".sha256");
        if (!Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS) || Files.size(record) > 256) {
            return Optional.empty();
        }
        String[] fields = Files.readString(record, StandardCharsets.UTF_8).strip().split(" ");
        if (fields.length != 3 || !fields[1].equals(Long.toString(Files.size(file)))
                || !fields[2].equals(Long.toString(Files.getLastModifiedTime(file).toMillis()))) {
            return Optional.empty();
        }
        return Optional.of(fields[0]);
    }

    private static void recordVerified(Path file, String hex) throws IOException {
        String line = hex + " " + Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis() + "\n";
        AtomicFiles.write(ImageCache.sidecar(file, ".sha256"), line.getBytes(StandardCharsets.UTF_8));
    }

    private Checksum.Sha256 expected(Checksum checksum, String fileName) {
        return switch (checksum) {
            case Checksum.Sha256 sha -> sha;
            case Checksum.SumsFile sums -> Checksum.findInSums(fetchText(sums.url()), fileName)
                    .orElseThrow(() -> new ImageChecksumException("no checksum for " + fileName + " in " + sums.url()));
        };
    }

    private String fetchText(URI url) {
        try {
            if ("file".equalsIgnoreCase(url.getScheme())) {
                return Files.readString(Path.of(url), StandardCharsets.UTF_8);
            }
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(url).timeout(responseTimeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new ImagePullException("cannot fetch checksums " + url + ": HTTP " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new ImagePullException("cannot fetch checksums " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImagePullException("interrupted while fetching " + url, e);
        }
    }

    private static void verify(Path file, Checksum.Sha256 expected, Object what) {
        String actual = sha256(file);
        if (!actual.equals(expected.hex())) {
            throw new ImageChecksumException("checksum mismatch for " + what + ": expected sha256:" + expected.hex()
                    + ", got sha256:" + actual);
        }
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return Checksum.hex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
