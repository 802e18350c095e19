package io.qemucompose.driver.cloudinit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedImageTest {

    @TempDir
    Path dir;

    @Test
    void theSeedIsoIsReadableByItsOwnerOnly() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/genisoimage")), "genisoimage (scripts/install-deps) is missing");
        Path iso = dir.resolve("web/cloud-init.iso");
        RenderedSeed seed = new SeedRenderer().render(CloudInitConfig.of("web", "debian",
                List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOM test")).withPassword("s3cret"));

        new SeedImage().write(iso, seed);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(iso))).isEqualTo("rw-------");
        assertThat(new String(Files.readAllBytes(iso), java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("$6$rounds=").doesNotContain("s3cret");
    }
}
