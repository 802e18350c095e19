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

    @Test
    void downloadsIntoTheCacheWithProgressAndVerifiedChecksum() throws Exception {
        List<PullProgress> seen = new CopyOnWriteArrayList<>();
        ImagePuller.PulledImage pulled = puller.pull(
                request("/img/base.qcow2", Optional.of(Checksum.parse("sha256:" + sha256(image)))), seen::add);

        assertThat(pulled.path()).isEqualTo(cache.dir().resolve("base.qcow2"));
        assertThat(Files.readAllBytes(pulled.path())).isEqualTo(image);
        assertThat(pulled.downloaded()).isTrue();
        assertThat(seen.getLast().done()).isTrue();
        assertThat(seen.getLast().bytes()).isEqualTo(image.length);
        assertThat(seen).anySatisfy(p -> assertThat(p.totalBytes()).isEqualTo(image.length));
        assertThat(cache.list()).extracting(ImageCache.CachedImage::name).containsExactly("base.qcow2");
    }

    @Test
    void interruptedDownloadResumesWithARangeRequest() throws Exception {
        server.cutNextAfter(1_000_000);

        assertThatThrownBy(() -> puller.pull(request("/img/base.qcow2", Optional.empty()), PullProgress.Listener.NONE))
                .isInstanceOf(ImagePullException.class)
                .hasMessageContaining("pull again to resume");
        Path part = cache.dir().resolve("base.qcow2.part");
        long kept = Files.size(part);
        assertThat(kept).isBetween(1L, 1_000_000L); // what arrived before the cut
        assertThat(cache.list()).isEmpty();

        ImagePuller.PulledImage pulled = puller.pull(
                request("/img/base.qcow2", Optional.of(new Checksum.Sha256(sha256(image)))), PullProgress.Listener.NONE);

        assertThat(pulled.resumed()).isTrue();
        assertThat(server.rangeHeaders.getLast()).isEqualTo("bytes=" + kept + "-");
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
        assertThat(cache.dir().resolve("base.qcow2")).doesNotExist();
        assertThat(cache.dir().resolve("base.qcow2.part")).doesNotExist();
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
        assertThat(cache.dir().resolve("base.qcow2.part")).exists();
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
        assertThat(cache.list()).extracting(ImageCache.CachedImage::name).containsExactly("base.qcow2", "other.img");
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

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
