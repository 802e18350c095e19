package io.qemucompose.driver.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCacheTest {

    @TempDir
    Path tmp;

    @Test
    void remoteImagesLiveInTheCacheUnderTheirUrlFileName() {
        ImageCache cache = new ImageCache(tmp.resolve("cache"));
        ImageCache.ResolvedImage r = cache.resolve(
                "https://download.fedoraproject.org/pub/fedora/linux/releases/42/Cloud/x86_64/images/Fedora-Cloud-Base-Generic-42-1.1.x86_64.qcow2",
                tmp);
        assertThat(r.cached()).isTrue();
        assertThat(r.present()).isFalse();
        assertThat(r.path().getParent()).isEqualTo(tmp.resolve("cache"));
        assertThat(r.path().getFileName().toString()).matches("[0-9a-f]{12}-Fedora-Cloud-Base-Generic-42-1\\.1\\.x86_64\\.qcow2");
    }

    @Test
    void twoUrlsWithTheSameLastSegmentGetTwoCacheFiles() {
        ImageCache cache = new ImageCache(tmp.resolve("cache"));
        Path a = cache.resolve("https://a.example/images/base.qcow2", tmp).path();
        Path b = cache.resolve("https://b.example/other/base.qcow2", tmp).path();
        assertThat(a).isNotEqualTo(b);
        assertThat(a.getFileName().toString()).endsWith("-base.qcow2");
        assertThat(cache.resolve("https://a.example/images/base.qcow2", tmp).path()).isEqualTo(a);
    }

    @Test
    void anEntryOfTheOldBareNameLayoutIsStillReadUntilAnotherUrlClaimedIt() throws Exception {
        ImageCache cache = new ImageCache(tmp.resolve("cache"));
        Files.createDirectories(cache.dir());
        Path legacy = Files.writeString(cache.dir().resolve("base.qcow2"), "old");

        ImageCache.ResolvedImage a = cache.resolve("https://a.example/base.qcow2", tmp);
        assertThat(a.path()).isEqualTo(legacy);
        assertThat(a.present()).isTrue();

        cache.claimLegacy(a.path(), URI.create("https://a.example/base.qcow2"));
        assertThat(cache.resolve("https://a.example/base.qcow2", tmp).path()).isEqualTo(legacy);
        ImageCache.ResolvedImage b = cache.resolve("https://b.example/base.qcow2", tmp);
        assertThat(b.path()).isNotEqualTo(legacy);
        assertThat(b.present()).isFalse();
    }

    @Test
    void urlsWithoutAUsableFileNameGetAStableHashedName() {
        String a = ImageCache.fileNameFor(URI.create("https://example.org/"));
        assertThat(a).matches("image-[0-9a-f]{12}\\.img").isEqualTo(ImageCache.fileNameFor(URI.create("https://example.org/")));
        assertThat(ImageCache.fileNameFor(URI.create("https://example.org/..%2F..%2Fetc"))).startsWith("image-");
    }

    @Test
    void localPathsAreResolvedAgainstTheComposeFolderAndUsedInPlace() throws Exception {
        Files.writeString(tmp.resolve("base.img"), "x");
        ImageCache cache = new ImageCache(tmp.resolve("cache"));

        ImageCache.ResolvedImage r = cache.resolve("./base.img", tmp);

        assertThat(r.cached()).isFalse();
        assertThat(r.present()).isTrue();
        assertThat(r.path()).isEqualTo(tmp.resolve("base.img"));
        assertThat(cache.resolve("file://" + tmp.resolve("base.img"), Path.of("/elsewhere")).path())
                .isEqualTo(tmp.resolve("base.img"));
    }

    @Test
    void unsupportedSchemesAreRefused() {
        assertThatThrownBy(() -> ImageSource.parse("ftp://example.org/x.img", tmp))
                .isInstanceOf(ImagePullException.class).hasMessageContaining("unsupported image scheme");
    }

    @Test
    void listShowsFinishedImagesOnlyAndRemoveDeletesThemWithTheirPart() throws Exception {
        ImageCache cache = new ImageCache(tmp);
        Files.write(tmp.resolve("a.qcow2"), new byte[10]);
        Files.write(tmp.resolve("b.img.part"), new byte[5]);
        Files.write(tmp.resolve(".b.img.lock"), new byte[0]);

        assertThat(cache.list()).containsExactly(new ImageCache.CachedImage("a.qcow2", 10, tmp.resolve("a.qcow2")));
        assertThat(cache.remove("b.img")).isTrue();
        assertThat(tmp.resolve("b.img.part")).doesNotExist();
        assertThat(cache.remove("a.qcow2")).isTrue();
        assertThat(cache.remove("a.qcow2")).isFalse();
        assertThatThrownBy(() -> cache.remove("../x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void checksumsAreFoundInGnuAndBsdSumsFiles() {
        String hex = "ab".repeat(32);
        assertThat(Checksum.findInSums(hex + "  debian-12-genericcloud-amd64.qcow2\n", "debian-12-genericcloud-amd64.qcow2"))
                .contains(new Checksum.Sha256(hex));
        assertThat(Checksum.findInSums("# Fedora\nSHA256 (Fedora-42.qcow2) = " + hex + "\n", "Fedora-42.qcow2"))
                .contains(new Checksum.Sha256(hex));
        assertThat(Checksum.findInSums(hex + "  other.img\n", "mine.img")).isEmpty();
        assertThatThrownBy(() -> Checksum.parse("md5:abc")).isInstanceOf(ImagePullException.class);
    }
}
