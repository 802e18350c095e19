package io.qemucompose.driver.cloudinit;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.ExternalCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real mkfs.fat, sfdisk and mtools: the disk must be what the images' boot scripts mount. */
class KeyDiskTest {

    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBt4 qemu-compose";
    private final ExternalCommand mtype = new ExternalCommand("mtype", "mtools");

    @TempDir
    Path dir;

    @Test
    void wholeDiskFat32HoldsTheKeysFile() {
        Path disk = dir.resolve("keys.img");
        new KeyDisk().write(disk, KEY, KeyDisk.Layout.WHOLE_DISK);
        assertThat(mtype.run(List.of("-i", disk.toString(), "::KEYS"), Duration.ofSeconds(10)).stdout()).isEqualTo(KEY + "\n");
        assertThat(dir.toFile().list()).containsExactly("keys.img");
    }

    @Test
    void freeBsdLayoutHasOneFatPartitionFromSector2048() throws Exception {
        Path disk = dir.resolve("keys.img");
        new KeyDisk().write(disk, KEY + "\n", KeyDisk.Layout.MBR_PARTITION);
        byte[] mbr = Files.readAllBytes(disk);
        assertThat(mbr[510] & 0xff).isEqualTo(0x55);
        assertThat(mbr[511] & 0xff).isEqualTo(0xAA);
        assertThat(mbr[446 + 4] & 0xff).as("partition type").isEqualTo(0x0c);
        int start = (mbr[446 + 8] & 0xff) | (mbr[446 + 9] & 0xff) << 8 | (mbr[446 + 10] & 0xff) << 16;
        assertThat(start).isEqualTo(2048);
        assertThat(mtype.run(List.of("-i", disk + "@@1048576", "::KEYS"), Duration.ofSeconds(10)).stdout())
                .isEqualTo(KEY + "\n");
    }
}
