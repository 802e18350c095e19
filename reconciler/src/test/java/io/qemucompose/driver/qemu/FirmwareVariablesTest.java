package io.qemucompose.driver.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirmwareVariablesTest {

    @TempDir
    Path dir;

    @Test
    void storeIsAByteForByteCopyOfTheTemplateWithItsZerosLeftAsHoles() throws IOException {
        // 8 MiB like a flash bank: a header, a hole, a block in the middle, zeros to the end
        Path template = dir.resolve("VARS.fd");
        try (FileChannel out = FileChannel.open(template, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap("_FVH header".getBytes()), 0);
            out.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 3 * 1024 * 1024 + 17);
            out.write(ByteBuffer.allocate(1), 8 * 1024 * 1024 - 1);
        }
        Path store = dir.resolve("vm/efi-vars.fd");
        Files.createDirectories(store.getParent());

        assertThat(FirmwareVariables.ensure(template, store)).isTrue();

        assertThat(Files.mismatch(template, store)).isEqualTo(-1L);
        assertThat(Files.size(store)).isEqualTo(8L * 1024 * 1024);
        assertThat(allocatedBytes(store)).as("sparse").isLessThan(1024L * 1024);
        assertThat(store.resolveSibling("efi-vars.fd.part")).doesNotExist();
    }

    @Test
    void anExistingStoreKeepsWhatTheFirmwareWroteIntoIt() throws IOException {
        Path template = Files.write(dir.resolve("VARS.fd"), new byte[4096]);
        Path store = Files.writeString(dir.resolve("efi-vars.fd"), "boot entries");

        assertThat(FirmwareVariables.ensure(template, store)).isFalse();

        assertThat(Files.readString(store)).isEqualTo("boot entries");
    }

    @Test
    void anAllZeroTemplateOfDebiansSizeTakesNoDataBlocks() throws IOException {
        Path template = dir.resolve("AAVMF_VARS.fd");
        try (FileChannel out = FileChannel.open(template, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.allocate(1), 64L * 1024 * 1024 - 1);
        }
        Path store = dir.resolve("efi-vars.fd");
        FirmwareVariables.ensure(template, store);
        assertThat(Files.size(store)).isEqualTo(64L * 1024 * 1024);
        assertThat(Files.mismatch(template, store)).isEqualTo(-1L);
        assertThat(allocatedBytes(store)).isLessThan(1024L * 1024);
    }

    /** st_blocks, which Java's file attributes do not show. */
    private static long allocatedBytes(Path file) throws IOException {
        try {
            Process stat = new ProcessBuilder("stat", "--format=%b %B", file.toString()).start();
            String[] out = new String(stat.getInputStream().readAllBytes()).strip().split(" ");
            assertThat(stat.waitFor()).isZero();
            return Long.parseLong(out[0]) * Long.parseLong(out[1]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
