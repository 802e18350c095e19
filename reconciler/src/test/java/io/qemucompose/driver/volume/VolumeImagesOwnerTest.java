package io.qemucompose.driver.volume;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.image.QemuImg;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fresh volume's root folder belongs to the login user it is made for (real mkfs.ext4, qemu-img, debugfs). */
class VolumeImagesOwnerTest {

    @TempDir
    Path dir;

    @Test
    void theRootFolderBelongsToTheGivenIdsOrTo1000() throws Exception {
        VolumeImages images = new VolumeImages(new QemuImg());
        images.create(dir.resolve("alice.qcow2"), 16L << 20, 1001, 100);
        images.create(dir.resolve("default.qcow2"), 16L << 20);

        assertThat(rootOwner(dir.resolve("alice.qcow2"))).isEqualTo("User:  1001   Group:   100");
        assertThat(rootOwner(dir.resolve("default.qcow2"))).isEqualTo("User:  1000   Group:  1000");
    }

    private String rootOwner(Path qcow2) throws Exception {
        Path raw = dir.resolve(qcow2.getFileName() + ".raw");
        run("qemu-img", "convert", "-O", "raw", qcow2.toString(), raw.toString());
        String stat = run(Files.isExecutable(Path.of("/usr/sbin/debugfs")) ? "/usr/sbin/debugfs" : "/sbin/debugfs",
                "-R", "stat /", raw.toString());
        return stat.lines().filter(l -> l.contains("User:")).findFirst().orElseThrow()
                .replaceAll("\\s+Project:.*", "").replaceAll("\\s+Size:.*", "").strip();
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
