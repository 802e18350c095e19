package io.qemucompose.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;

import io.qemucompose.driver.image.ImageCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code qemu-compose pull} against an HTTP server on 127.0.0.1: resume, checksums, errors, then image ls/rm. */
class PullCommandIT {

    @TempDir
    Path home;

    private final byte[] image = randomBytes(3 << 20);

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private Cli project(String compose) throws Exception {
        Path dir = Files.createDirectories(home.resolve("proj"));
        Files.writeString(dir.resolve("qemu-compose.yaml"), compose);
        return new Cli(dir, Cli.environment(Map.of(), home));
    }

    @Test
    void pullResumesAPartialDownloadAndVerifiesTheComposeChecksum() throws Exception {
        try (ImageServer server = new ImageServer()) {
            var url = server.put("base.qcow2", image);
            Cli cli = project("""
                    vms:
                      web:
                        image: %s
                        image_checksum: sha256:%s
                    """.formatted(url, sha256(image)));
            Path cache = home.resolve("data/qemu-compose/images");
            Path cached = cache.resolve(ImageCache.fileNameFor(url));
            assertThat(cached.getFileName().toString()).matches("[0-9a-f]{12}-base\\.qcow2");
            server.cutNextAfter(1 << 20);
            Cli.Run cut = cli.run("pull");
            assertThat(cut.exitCode()).as(cut.toString()).isEqualTo(1);
            assertThat(cut.err()).contains("pull again to resume");

            Cli.Run run = cli.run("pull");

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).contains("Pulling 1 image(s) from qemu-compose.yaml", "Target directory: " + cache + "/",
                    "web: resumed a partial download", "✓ All images pulled successfully");
            assertThat(server.ranges).containsExactly("bytes=" + (1 << 20) + "-");
            assertThat(server.ifRanges).hasSize(1);
            assertThat(Files.readAllBytes(cached)).isEqualTo(image);
            assertThat(cache.resolve(cached.getFileName() + ".part")).doesNotExist();

            Cli.Run again = cli.run("pull");
            assertThat(again.out()).contains("web: already present");
            Cli.Run ls = cli.run("image", "ls");
            assertThat(ls.out()).isEqualTo("""
                    Image cache directory: %s

                    FILENAME                                           SIZE            PATH
                    %s
                    %-50s 3.0 MB          %s

                    Total: 1 image(s)
                    """.formatted(cache, "-".repeat(120), cached.getFileName(), cached));
            assertThat(cli.run("image", "rm", cached.getFileName().toString()).out()).contains("Removed " + cached.getFileName());
            try (var files = Files.list(cache)) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".lock"))).isEmpty();
            }
        }
    }

    @Test
    void aPartOfAFileTheMirrorReplacedIsDownloadedAgainNotAppendedTo() throws Exception {
        try (ImageServer server = new ImageServer()) {
            var url = server.put("base.qcow2", image);
            Cli cli = project("vms:\n  web:\n    image: " + url + "\n");
            server.cutNextAfter(1 << 20);
            assertThat(cli.run("pull").exitCode()).isEqualTo(1);
            byte[] replaced = randomBytes(2 << 20);
            replaced[0] ^= 1;
            server.put("base.qcow2", replaced);

            Cli.Run run = cli.run("pull");

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).doesNotContain("resumed");
            assertThat(server.ifRanges).hasSize(1);
            assertThat(Files.readAllBytes(home.resolve("data/qemu-compose/images").resolve(ImageCache.fileNameFor(url))))
                    .isEqualTo(replaced);
        }
    }

    @Test
    void twoMirrorsWithTheSameFileNameKeepTwoImagesAndACachedImageIsCheckedAgainstTheChecksum() throws Exception {
        try (ImageServer a = new ImageServer(); ImageServer b = new ImageServer()) {
            byte[] other = randomBytes(1 << 20);
            other[0] ^= 1;
            var urlA = a.put("base.qcow2", image);
            var urlB = b.put("base.qcow2", other);
            Cli cli = project("""
                    vms:
                      web:
                        image: %s
                      db:
                        image: %s
                        image_checksum: sha256:%s
                    """.formatted(urlA, urlB, sha256(other)));

            Cli.Run run = cli.run("pull");

            assertThat(run.exitCode()).as(run.toString()).isZero();
            Path cache = home.resolve("data/qemu-compose/images");
            assertThat(Files.readAllBytes(cache.resolve(ImageCache.fileNameFor(urlA)))).isEqualTo(image);
            Path cachedB = cache.resolve(ImageCache.fileNameFor(urlB));
            assertThat(Files.readAllBytes(cachedB)).isEqualTo(other);
            assertThat(cli.run("image", "ls").out()).contains("Total: 2 image(s)");

            // a cached file changed behind our back is not used as db's image
            Files.write(cachedB, image);
            Cli.Run tampered = cli.run("pull", "db");
            assertThat(tampered.exitCode()).as(tampered.toString()).isEqualTo(1);
            assertThat(tampered.err()).contains("cached image " + cachedB + " does not match image_checksum", "pull --force");
        }
    }

    @Test
    void wrongChecksumIsRefusedAndLeavesNothingInTheCache() throws Exception {
        try (ImageServer server = new ImageServer()) {
            var url = server.put("bad.qcow2", image);
            Cli cli = project("""
                    vms:
                      web:
                        image: %s
                        image_checksum: sha256:%s
                    """.formatted(url, "0".repeat(64)));
            Cli.Run run = cli.run("pull", "web");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
            assertThat(run.err()).contains("✗ web:").containsIgnoringCase("checksum");
            Path cache = home.resolve("data/qemu-compose/images");
            // only the pull's hidden lock file may remain: no image, no .part
            try (var files = Files.list(cache)) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))).isEmpty();
            }
            assertThat(cli.run("image", "ls").out()).contains("Total: 0 image(s)");
        }
    }

    @Test
    void missingImageIsAClearErrorAndBadArgumentsAreUsageErrors() throws Exception {
        try (ImageServer server = new ImageServer()) {
            Cli cli = project("vms:\n  web:\n    image: " + server.put("x", new byte[0]).resolve("/nope.img") + "\n");
            Cli.Run run = cli.run("pull");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("✗ web:").contains("404");
            assertThat(cli.run("pull", "nosuchvm").err()).contains("no VM named 'nosuchvm'");
            assertThat(cli.run("pull", "ftp://host/x.img").exitCode()).isEqualTo(2);
        }
    }
}
