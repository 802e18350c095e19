package io.qemucompose.it.drivers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.qemucompose.driver.DependencyMissingException;
import io.qemucompose.driver.ExternalCommand;
import io.qemucompose.driver.image.DiskImageInfo;
import io.qemucompose.driver.image.QemuImg;
import io.qemucompose.driver.image.QemuImgException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** QemuImg against the real qemu-img. */
class QemuImgIT {

    private static final long MIB = 1024 * 1024;

    @TempDir
    Path tmp;

    QemuImg qemuImg = new QemuImg();
    Path base;

    @BeforeEach
    void makeBase() {
        base = tmp.resolve("base.qcow2");
        ExternalCommand.Result r = new ExternalCommand("qemu-img", "qemu-utils")
                .run(List.of("create", "-q", "-f", "qcow2", base.toString(), "64M"), Duration.ofSeconds(30));
        assertThat(r.succeeded()).as(r.stderr()).isTrue();
    }

    @Test
    void infoReadsFormatAndVirtualSize() {
        DiskImageInfo info = qemuImg.info(base);
        assertThat(info.format()).isEqualTo("qcow2");
        assertThat(info.virtualSize()).isEqualTo(64 * MIB);
        assertThat(info.backingFile()).isEmpty();
    }

    @Test
    void overlayIsBackedByTheBaseAndGrownToTheRequestedSize() {
        Path overlay = tmp.resolve("vm/disk.qcow2");

        DiskImageInfo info = qemuImg.createOverlay(base, Optional.empty(), overlay, Optional.of(256 * MIB));

        assertThat(info.format()).isEqualTo("qcow2");
        assertThat(info.virtualSize()).isEqualTo(256 * MIB);
        assertThat(info.backingFile()).contains(base.toString());
        assertThat(info.backingFormat()).contains("qcow2");
        try (var files = java.nio.file.Files.list(overlay.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("disk.qcow2");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void overlayNeverShrinksBelowTheBase() {
        DiskImageInfo info = qemuImg.createOverlay(base, Optional.of("qcow2"), tmp.resolve("small.qcow2"), Optional.of(MIB));
        assertThat(info.virtualSize()).isEqualTo(64 * MIB);
    }

    @Test
    void resizeGrowsAndRefusesToShrink() {
        Path overlay = tmp.resolve("disk.qcow2");
        qemuImg.createOverlay(base, Optional.empty(), overlay, Optional.empty());

        qemuImg.resize(overlay, 128 * MIB);

        assertThat(qemuImg.info(overlay).virtualSize()).isEqualTo(128 * MIB);
        assertThatThrownBy(() -> qemuImg.resize(overlay, 64 * MIB))
                .isInstanceOf(QemuImgException.class).hasMessageContaining("refusing to shrink");
    }

    @Test
    void errorsCarryQemuImgsOwnMessage() throws Exception {
        Path notAnImage = Files.writeString(tmp.resolve("broken.qcow2"), "QFI\u00fb garbage");
        assertThatThrownBy(() -> qemuImg.createOverlay(notAnImage, Optional.of("qcow2"), tmp.resolve("o.qcow2"), Optional.empty()))
                .isInstanceOf(QemuImgException.class)
                .hasMessageContaining("qemu-img");
        assertThat(tmp.resolve("o.qcow2")).doesNotExist();
    }

    @Test
    void aMissingToolNamesItsDebianPackage() {
        QemuImg absent = new QemuImg(new ExternalCommand("qemu-img-not-installed", "qemu-utils"), Duration.ofSeconds(5));
        assertThatThrownBy(() -> absent.info(base))
                .isInstanceOf(DependencyMissingException.class)
                .hasMessage("qemu-img-not-installed is not installed: install it with 'sudo apt-get install qemu-utils'");
    }
}
