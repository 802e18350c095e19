package io.qemucompose.it.volumes;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.it.world.ReadableClasspath;
import io.qemucompose.testkit.CommandResult;
import io.qemucompose.testkit.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Named volumes need no privilege: the product's own creation code, run by user nobody (65534)
 * through {@code setpriv}, makes a qcow2 volume with an ext4 file system whose root belongs to the
 * guest's first user (1000), and records it in volumes.json with a real creation time.
 */
class RootlessVolumeIT {

    private static final String NOBODY = "65534";

    private Path work;

    @AfterEach
    void cleanUp() throws IOException {
        if (work != null) {
            try (Stream<Path> walk = Files.walk(work)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void anUnprivilegedUserCreatesAFormattedQcow2Volume() throws Exception {
        work = Files.createTempDirectory("qc-rootless-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        // the test runs as root with jars under /root/.m2 that nobody cannot read: copy the
        // product's classes and the libraries they use to a folder nobody can read
        List<String> classpath = ReadableClasspath.copy(work.resolve("cp"), name -> name.contains("reconciler")
                || name.contains("state-store") || name.contains("jackson") || name.contains("snakeyaml")
                || name.endsWith("test-classes"));
        Path project = Files.createDirectory(work.resolve("project"));
        Commands.run(List.of("chown", NOBODY + ":" + NOBODY, project.toString())).orThrow();
        Instant before = Instant.now();

        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups", "env", "-i", "PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + project,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(":", classpath), CreateVolumeMain.class.getName(),
                project.toString(), "data", "64M"));
        CommandResult r = Commands.run(command, Duration.ofMinutes(2), work);
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout()).contains("user=nobody");

        Path disk = project.resolve(".qemu-compose/volumes/data/disk.qcow2");
        assertThat(disk).isRegularFile();
        assertThat(Commands.run(List.of("stat", "-c", "%u", disk.toString())).orThrow().stdout().strip())
                .isEqualTo(NOBODY);
        String info = Commands.run(List.of("qemu-img", "info", disk.toString())).orThrow().stdout();
        assertThat(info).contains("file format: qcow2").contains("virtual size: 64 MiB");
        // sparse all the way: mkfs wrote only metadata, and the qcow2 holds only that
        assertThat(Files.size(disk)).isLessThan(16L << 20);

        Path raw = work.resolve("check.raw");
        Commands.run(List.of("qemu-img", "convert", "-O", "raw", disk.toString(), raw.toString())).orThrow();
        assertThat(Commands.run(List.of("/usr/sbin/dumpe2fs", "-h", raw.toString())).orThrow().stdout())
                .contains("Filesystem features:").contains("extent").contains("clean");
        String root = Commands.run(List.of("/usr/sbin/debugfs", "-R", "stat /", raw.toString())).orThrow().stdout();
        assertThat(root).containsPattern("User:\\s+1000\\s+Group:\\s+1000");

        String json = Files.readString(project.resolve(".qemu-compose/volumes.json"));
        assertThat(json).contains("\"name\" : \"data\"").contains("\"sizeBytes\" : " + (64L << 20))
                .contains("\"path\" : \"" + disk + "\"");
        String created = json.replaceAll("(?s).*\"created\" : \"([^\"]+)\".*", "$1");
        assertThat(Instant.parse(created)).isBetween(before.minusSeconds(1), Instant.now());
        try (Stream<Path> left = Files.list(disk.getParent())) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("disk.qcow2");
        }
    }
}
