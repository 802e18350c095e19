package io.qemucompose.driver.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagePullerTest {

    @TempDir
    Path tmp;

    ImageServer server;
    ImageCache cache;
    ImagePuller puller;
    byte[] image;

    @BeforeEach
    void start() throws Exception {
        server = new ImageServer();
        cache = new ImageCache(tmp.resolve("images"));
        puller = new ImagePuller(cache, Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(1));
        image = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(image);
        server.serve("/img/base.qcow2", image);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ImagePuller.PullRequest request(String path, Optional<Checksum> checksum) {
        return new ImagePuller.PullRequest("web", new ImageSource.Remote(path, server.url(path)), checksum, false);
    }

    private Path target(String path) {
        return cache.resolve(new ImageSource.Remote(path, server.url(path))).path();
    }

    private Path part(String path) {
        Path target = target(path);
        return target.resolveSibling(target.getFileName() + ImageCache.PART_SUFFIX);
    }

    @Test
    void downloadsIntoTheCacheWithProgressAndVerifiedChecksum() throws Exception {
        List<PullProgress> seen = new CopyOnWriteArrayList<>();
        ImagePuller.PulledImage pulled = puller.pull(
                request("/img/base.qcow2", Optional.of(Checksum.parse("sha256:" + sha256(image)))), seen::add);

        assertThat(pulled.path()).isEqualTo(cache.resolve(new ImageSource.Remote("x", server.url("/img/base.qcow2"))).path());
        assertThat(Files.readAllBytes(pulled.path())).isEqualTo(image);
        assertThat(pulled.downloaded()).isTrue();
        assertThat(seen.getLast().done()).isTrue();
        assertThat(seen.getLast().bytes()).isEqualTo(image.length);
        assertThat(seen).anySatisfy(p -> assertThat(p.totalBytes()).isEqualTo(image.length));
        assertThat(cache.list()).extracting(ImageCache.CachedImage::name).containsExactly(pulled.path().getFileName().toString());
    }

    @Test
    void interruptedDownloadResumesWithARangeRequest() throws Exception {
        server.etag = "\"v1\"";
        server.cutNextAfter(1_000_000);

        assertThatThrownBy(() -> puller.pull(request("/img/base.qcow2", Optional.empty()), PullProgress.Listener.NONE))
                .isInstanceOf(ImagePullException.class)
                .hasMessageContaining("pull again to resume");
        Path part = part("/img/base.qcow2");
        long kept = Files.size(part);
        assertThat(kept).isBetween(1L, 1_000_000L); // what arrived before the cut
        assertThat(cache.list()).isEmpty();

        ImagePuller.PulledImage pulled = puller.pull(
                request("/img/base.qcow2", Optional.of(new Checksum.Sha256(sha256(image)))), PullProgress.Listener.NONE);

        assertThat(pulled.resumed()).isTrue();
        assertThat(server.rangeHeaders.getLast()).isEqualTo("bytes=" + kept + "-");
        assertThat(server.ifRangeHeaders.getLast()).isEqualTo("\"v1\"");
        assertThat(Files.readAllBytes(pulled.path())).isEqualTo(image);
        assertThat(part).doesNotExist();
    }

    @Test
    void wrongChecksumIsRefusedAndLeavesNoFileInTheCache() throws Exception {
        String wrong = "0".repeat(64);

        assertThatThrownBy(() -> puller.pull(request("/img/base.qcow2", Optional.of(Checksum.parse("sha256:" + wrong))),
                PullProgress.Listener.NONE))
                .isInstanceOf(ImageChecksumException.class)
                .hasMessageContaining("expected sha256:" + wrong);

        assertThat(cache.list()).isEmpty();
        assertThat(target("/img/base.qcow2")).doesNotExist();
        assertThat(part("/img/base.qcow2")).doesNotExist();
    }

    @Test
    void checksumIsLookedUpInASha256SumsFile() throws Exception {
        server.serve("/img/SHA256SUMS", (sha256(new byte[] {1}) + "  other.img\n" + sha256(image) + " *base.qcow2\n").getBytes());
        Checksum sums = Checksum.parse(server.url("/img/SHA256SUMS").toString());

        ImagePuller.PulledImage pulled = puller.pull(request("/img/base.qcow2", Optional.of(sums)), PullProgress.Listener.NONE);

        assertThat(Files.readAllBytes(pulled.path())).isEqualTo(image);
    }

    @Test
    void missingImageIsAClearNotFoundError() {
        assertThatThrownBy(() -> puller.pull(request("/img/nope.qcow2", Optional.empty()), PullProgress.Listener.NONE))
                .isInstanceOf(ImagePullException.class)
                .hasMessage("image not found: " + server.url("/img/nope.qcow2") + " (HTTP 404)");
        assertThat(cache.list()).isEmpty();
    }

    @Test
    void refusedConnectionIsAClearError() throws Exception {
        int freePort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            freePort = s.getLocalPort();
        }
        URI url = URI.create("http://127.0.0.1:" + freePort + "/x.img");
        assertThatThrownBy(() -> puller.pull(new ImagePuller.PullRequest("x", new ImageSource.Remote(url.toString(), url),
                Optional.empty(), false), PullProgress.Listener.NONE))
                .isInstanceOf(ImagePullException.class)
                .hasMessageContaining("connection refused");
    }

    @Test
    void stalledTransferFailsAfterTheStallTimeoutAndKeepsThePart() {
        server.stallNextAfter(500_000);
        long start = System.nanoTime();

        assertThatThrownBy(() -> puller.pull(request("/img/base.qcow2", Optional.empty()), PullProgress.Listener.NONE))
                .isInstanceOf(ImagePullException.class)
                .hasMessageContaining("no data for 1 s");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(part("/img/base.qcow2")).exists();
    }

    @Test
    void severalImagesArePulledInParallelAndASharedImageOnlyOnce() throws Exception {
        byte[] other = new byte[200_000];
        new Random(7).nextBytes(other);
        server.serve("/img/other.img", other);

        List<ImagePuller.PullOutcome> outcomes = puller.pullAll(List.of(
                request("/img/base.qcow2", Optional.empty()),
                request("/img/other.img", Optional.empty()),
                request("/img/base.qcow2", Optional.empty()),
                request("/img/missing.img", Optional.empty())), PullProgress.Listener.NONE);

        assertThat(outcomes).hasSize(4);
        assertThat(outcomes.subList(0, 3)).allSatisfy(o -> assertThat(o).isInstanceOf(ImagePuller.PullOutcome.Pulled.class));
        assertThat(outcomes.get(3)).isInstanceOf(ImagePuller.PullOutcome.Failed.class);
        assertThat(server.requests.get()).isEqualTo(3);
        assertThat(cache.list()).extracting(ImageCache.CachedImage::name).containsExactlyInAnyOrder(target("/img/base.qcow2").getFileName().toString(),
                target("/img/other.img").getFileName().toString());
    }

    @Test
    void localFilesAreUsedInPlaceAndChecked() throws Exception {
        Path local = Files.write(tmp.resolve("my.qcow2"), image);

        ImagePuller.PulledImage pulled = puller.pull(ImagePuller.PullRequest.of("web",
                ImageSource.parse("file://" + local, tmp)), PullProgress.Listener.NONE);
        assertThat(pulled.path()).isEqualTo(local);
        assertThat(pulled.downloaded()).isFalse();
        assertThat(cache.list()).isEmpty();

        assertThatThrownBy(() -> puller.pull(new ImagePuller.PullRequest("web", ImageSource.parse("my.qcow2", tmp),
                Optional.of(new Checksum.Sha256("1".repeat(64))), false), PullProgress.Listener.NONE))
                .isInstanceOf(ImageChecksumException.class);
        assertThatThrownBy(() -> puller.pull(ImagePuller.PullRequest.of("web", ImageSource.parse("./gone.qcow2", tmp)),
                PullProgress.Listener.NONE))
                .isInstanceOf(ImagePullException.class).hasMessage("image file not found: " + tmp.resolve("gone.qcow2"));
    }

    @Test
    void cachedImageIsNotDownloadedAgainUnlessForced() {
        puller.pull(request("/img/base.qcow2", Optional.empty()), PullProgress.Listener.NONE);
        ImagePuller.PulledImage again = puller.pull(request("/img/base.qcow2", Optional.empty()), PullProgress.Listener.NONE);
        assertThat(again.downloaded()).isFalse();
        assertThat(server.requests.get()).isEqualTo(1);

        ImagePuller.PulledImage forced = puller.pull(new ImagePuller.PullRequest("web",
                new ImageSource.Remote("x", server.url("/img/base.qcow2")), Optional.empty(), true), PullProgress.Listener.NONE);
        assertThat(forced.downloaded()).isTrue();
        assertThat(server.requests.get()).isEqualTo(2);
    }

    @Test
    void aCachedImageIsVerifiedAgainstTheChecksumAndTheVerificationIsRecorded() throws Exception {
        ImagePuller.PulledImage first = puller.pull(request("/img/base.qcow2", Optional.empty()), PullProgress.Listener.NONE);
        byte[] tampered = image.clone();
        tampered[12345] ^= 1;
        Files.write(first.path(), tampered);

        assertThatThrownBy(() -> puller.pull(request("/img/base.qcow2", Optional.of(new Checksum.Sha256(sha256(image)))),
                PullProgress.Listener.NONE))
                .isInstanceOf(ImageChecksumException.class)
                .hasMessageContaining("cached image " + first.path())
                .hasMessageContaining("pull --force");

        Files.write(first.path(), image);
        puller.pull(request("/img/base.qcow2", Optional.of(new Checksum.Sha256(sha256(image)))), PullProgress.Listener.NONE);
        // verified once: the digest is recorded beside the file, for this size and modification time
        assertThat(cache.dir().resolve("." + first.path().getFileName() + ".sha256")).content().startsWith(sha256(image));
        assertThat(cache.list()).extracting(ImageCache.CachedImage::name).containsExactly(first.path().getFileName().toString());
    }

    @Test
    void twoUrlsEndingInTheSameFileNameDoNotShareACacheFile() throws Exception {
        byte[] other = new byte[100_000];
        new Random(9).nextBytes(other);
        server.serve("/mirror-b/base.qcow2", other);

        ImagePuller.PulledImage a = puller.pull(request("/img/base.qcow2", Optional.empty()), PullProgress.Listener.NONE);
        ImagePuller.PulledImage b = puller.pull(request("/mirror-b/base.qcow2", Optional.empty()), PullProgress.Listener.NONE);

        assertThat(a.path()).isNotEqualTo(b.path());
        assertThat(Files.readAllBytes(a.path())).isEqualTo(image);
        assertThat(Files.readAllBytes(b.path())).isEqualTo(other);
        assertThat(b.downloaded()).isTrue();
    }

    @Test
    void aPartIsResumedWithIfRangeAndRestartedWhenTheServerFileChanged() throws Exception {
        server.etag = "\"v1\"";
        server.cutNextAfter(1_000_000);
        assertThatThrownBy(() -> puller.pull(request("/img/base.qcow2", Optional.empty()), PullProgress.Listener.NONE))
                .isInstanceOf(ImagePullException.class);
        byte[] changed = new byte[image.length];
        new Random(11).nextBytes(changed);
        server.serve("/img/base.qcow2", changed);
        server.etag = "\"v2\"";

        ImagePuller.PulledImage pulled = puller.pull(request("/img/base.qcow2", Optional.of(new Checksum.Sha256(sha256(changed)))),
                PullProgress.Listener.NONE);

        assertThat(server.ifRangeHeaders.getLast()).isEqualTo("\"v1\"");
        assertThat(pulled.resumed()).isFalse();
        assertThat(Files.readAllBytes(pulled.path())).isEqualTo(changed);
    }

    @Test
    void aPartWithoutARecordOfItsUrlIsNotResumed() throws Exception {
        server.etag = "\"v1\"";
        Path target = cache.resolve(new ImageSource.Remote("x", server.url("/img/base.qcow2"))).path();
        Files.createDirectories(target.getParent());
        // bytes of some other download left under this name
        Files.write(target.resolveSibling(target.getFileName() + ".part"), new byte[1_000_000]);

        ImagePuller.PulledImage pulled = puller.pull(request("/img/base.qcow2", Optional.empty()), PullProgress.Listener.NONE);

        assertThat(server.rangeHeaders).containsExactly("null");
        assertThat(pulled.resumed()).isFalse();
        assertThat(Files.readAllBytes(pulled.path())).isEqualTo(image);
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
