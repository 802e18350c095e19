package io.qemucompose.driver.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QemuImgTest {

    @TempDir
    Path dir;

    @Test
    void aBaseImageWithABackingFileIsRefused() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-img")), "qemu-img (scripts/install-deps) is missing");
        Path secret = Files.writeString(dir.resolve("id_ed25519"), "-----BEGIN OPENSSH PRIVATE KEY-----\n");
        Path evil = dir.resolve("evil.qcow2");
        Process create = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b",
                secret.toString(), evil.toString(), "1M").inheritIO().start();
        assertThat(create.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(create.exitValue()).isZero();
        Path overlay = dir.resolve("web/disk.qcow2");

        assertThatThrownBy(() -> new QemuImg().createOverlay(evil, Optional.empty(), overlay, Optional.empty()))
                .isInstanceOf(QemuImgException.class).hasMessageContaining("has a backing file")
                .hasMessageContaining(secret.toString());
        assertThat(overlay).doesNotExist();
    }
}
