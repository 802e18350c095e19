package io.qemucompose.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qemucompose.driver.image.ImageCache;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `image rm` names: as `image ls` shows them, or the plain file name when one cached file has it. */
class ImageRmNamesTest {

    private static Map<String, ImageCache.CachedImage> cache(String... names) {
        Map<String, ImageCache.CachedImage> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, new ImageCache.CachedImage(n, 1, Path.of("/cache", n)));
        }
        return out;
    }

    @Test
    void theFullNameThePlainNameAndAmbiguity() {
        var one = cache("0123456789ab-debian.qcow2", "old-bare.qcow2");
        assertThat(ImageCommand.Rm.resolve(one, "0123456789ab-debian.qcow2").name()).isEqualTo("0123456789ab-debian.qcow2");
        assertThat(ImageCommand.Rm.resolve(one, "debian.qcow2").name()).isEqualTo("0123456789ab-debian.qcow2");
        assertThat(ImageCommand.Rm.resolve(one, "old-bare.qcow2").name()).isEqualTo("old-bare.qcow2");
        assertThat(ImageCommand.Rm.resolve(one, "missing.qcow2")).isNull();
        var two = cache("0123456789ab-debian.qcow2", "ba9876543210-debian.qcow2");
        assertThatThrownBy(() -> ImageCommand.Rm.resolve(two, "debian.qcow2"))
                .hasMessageContaining("several cached images are named 'debian.qcow2'")
                .hasMessageContaining("0123456789ab-debian.qcow2, ba9876543210-debian.qcow2");
    }
}
