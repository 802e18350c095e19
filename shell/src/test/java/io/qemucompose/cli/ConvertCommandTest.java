package io.qemucompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

class ConvertCommandTest {

    @TempDir
    Path tmp;
    Path project;

    static final String COMPOSE = """
            volumes:
              data: {size: 2G}
            vms:
              web:
                image: https://example.org/debian-12.qcow2
                disk: {size: 4G}
                ports: ["8080:80"]
                volumes:
                  - data:/var/lib/app
                  - ./site:/srv/site:ro
            """;

    @BeforeEach
    void writeProject() throws IOException {
        project = tmp.resolve("shop");
        Files.createDirectories(project.resolve("site"));
        Files.writeString(project.resolve("qemu-compose.yaml"), COMPOSE);
    }

    private static List<Map<?, ?>> documents(String stream) {
        List<Map<?, ?>> out = new ArrayList<>();
        new Load(LoadSettings.builder().build()).loadAllFromString(stream).forEach(d -> out.add((Map<?, ?>) d));
        return out;
    }

    @Test
    void writesOneStreamToStdoutAndWarningsToStderr() throws IOException {
        CliRun run = CliRun.run(project, "convert", "--to", "kubevirt");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(documents(run.out()).stream().map(d -> (Object) d.get("kind")).toList())
                .containsExactly("DataVolume", "Secret", "VirtualMachine", "Service");
        assertThat(run.err()).isEqualTo("warning: vms.web.volumes[1]: a host folder shared over 9p onto /srv/site has no"
                + " KubeVirt equivalent (the guest's mount of it fails quietly): put the files in a named volume, or"
                + " copy them with a provision step of type file\n");
        // the seed holds the project key that up uses; convert made it as up would, readable by its owner only
        Path key = project.resolve(".qemu-compose/ssh/id_ed25519");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        String publicKey = Files.readString(project.resolve(".qemu-compose/ssh/id_ed25519.pub")).strip();
        assertThat(run.out()).contains(publicKey);
    }

    @Test
    void strictMakesWarningsErrorsAndWritesNothing() {
        CliRun run = CliRun.run(project, "convert", "--to", "kubevirt", "--strict", "-o", "k8s");

        assertThat(run.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("error: vms.web.volumes[1]: a host folder shared over 9p")
                .endsWith("qemu-compose: 1 warning(s) are errors with --strict; nothing was written\n");
        assertThat(project.resolve("k8s")).doesNotExist();
    }

    @Test
    void writesOneFilePerObjectAndTheSecretForItsOwnerOnly() throws IOException {
        CliRun run = CliRun.run(project, "convert", "--to", "kubevirt", "-o", "k8s");

        assertThat(run.exitCode()).as(run.err()).isZero();
        Path dir = project.resolve("k8s");
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList()).containsExactly(
                    "data-datavolume.yaml", "web-cloudinit-secret.yaml", "web-service.yaml",
                    "web-virtualmachine.yaml");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("web-cloudinit-secret.yaml"))))
                .isEqualTo("rw-------");
        assertThat(run.err()).contains("wrote 4 manifests to " + dir + "; apply them with `kubectl apply -f k8s`");
        assertThat(Files.readString(dir.resolve("web-virtualmachine.yaml"))).startsWith("""
                apiVersion: kubevirt.io/v1
                kind: VirtualMachine
                metadata:
                  name: web
                """);
    }

    @Test
    void anUnknownTargetIsAUsageError() {
        CliRun run = CliRun.run(project, "convert", "--to", "nomad");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("--to").contains("kubevirt");
    }

    @Test
    void aBadComposeFileIsReportedWithItsPositionAndNothingIsWritten() throws IOException {
        Files.writeString(project.resolve("qemu-compose.yaml"), COMPOSE.replace("disk: {size: 4G}", "cpu: two"));

        CliRun run = CliRun.run(project, "convert", "--to", "kubevirt", "-o", "k8s");

        assertThat(run.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(run.err()).contains("qemu-compose.yaml:6:10: vms.web.cpu: found 'two', expected a number of CPUs");
        assertThat(project.resolve("k8s")).doesNotExist();
        assertThat(project.resolve(".qemu-compose")).doesNotExist();
    }
}
