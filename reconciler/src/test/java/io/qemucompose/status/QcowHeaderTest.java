package io.qemucompose.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QcowHeaderTest {

    @TempDir
    Path dir;

    /** A qcow2 v3 header as qemu-img writes it: backing name right after the 104-byte header + extensions. */
    private Path qcow(long size, String backing) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1024);
        b.putInt(0, 0x514649fb).putInt(4, 3);
        if (backing != null) {
            byte[] name = backing.getBytes(StandardCharsets.UTF_8);
            b.putLong(8, 512).putInt(16, name.length);
            b.put(512, name);
        }
        b.putInt(20, 16).putLong(24, size);
        Path file = dir.resolve("disk.qcow2");
        Files.write(file, b.array());
        return file;
    }

    @Test
    void readsVirtualSizeAndBackingFile() throws IOException {
        Path file = qcow(8L << 30, "../images/base.qcow2");
        QcowHeader h = QcowHeader.read(file);
        assertThat(h.version()).isEqualTo(3);
        assertThat(h.virtualSize()).isEqualTo(8L << 30);
        assertThat(h.backingFile()).contains("../images/base.qcow2");
        assertThat(h.backingPath(file)).contains(dir.getParent().resolve("images/base.qcow2"));
    }

    @Test
    void imageWithoutBackingFileHasNone() throws IOException {
        assertThat(QcowHeader.read(qcow(1L << 20, null)).backingFile()).isEmpty();
    }

    @Test
    void refusesFilesThatAreNotQcow2() throws IOException {
        Path raw = dir.resolve("raw.img");
        Files.write(raw, new byte[64]);
        assertThatThrownBy(() -> QcowHeader.read(raw)).isInstanceOf(IOException.class).hasMessageContaining("not a qcow2");
        Path tiny = dir.resolve("tiny");
        Files.write(tiny, new byte[3]);
        assertThatThrownBy(() -> QcowHeader.read(tiny)).isInstanceOf(IOException.class);
    }
}
