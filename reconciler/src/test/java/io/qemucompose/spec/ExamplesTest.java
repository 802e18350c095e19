package io.qemucompose.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ExamplesTest {
    private static final Map<String, String> ENV = Map.of("HOME", "/home/tester");

    static Path examplesDir() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("examples"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("an examples/ folder above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir.resolve("examples");
    }

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> folders = Files.list(examplesDir())) {
            List<Path> files = folders.map(f -> f.resolve("qemu-compose.yaml")).filter(Files::isRegularFile)
                    .sorted().toList();
            assertThat(files).hasSizeGreaterThanOrEqualTo(4);
            return files.stream();
        }
    }

    private static ComposeProject load(Path file) throws ComposeFileException {
        return new ComposeLoader(ENV).load(ComposeSource.of(file), Optional.empty());
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyExampleResolvesAndHasAReadme(Path file) throws Exception {
        ComposeProject project = load(file);

        assertThat(project.vms()).isNotEmpty();
        assertThat(project.projectDir()).isEqualTo(file.getParent());
        assertThat(file.resolveSibling("README.md")).isRegularFile();
        for (VmSpec vm : project.vms().values()) {
            for (Mount mount : vm.volumes()) {
                if (mount instanceof Mount.BindMount bind) {
                    assertThat(bind.source()).as("bind source of " + vm.name()).isAbsolute().exists();
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void renderedYamlLoadsBackToTheSameProject(Path file, @TempDir Path elsewhere) throws Exception {
        ComposeProject project = load(file);
        Path rendered = elsewhere.resolve("qemu-compose.yaml");
        Files.writeString(rendered, ComposeRenderer.toYaml(project));

        ComposeProject again = new ComposeLoader(ENV).load(ComposeSource.of(rendered), Optional.of(project.name()));

        assertThat(again.vms()).isEqualTo(project.vms());
        assertThat(again.networks()).isEqualTo(project.networks());
        assertThat(again.volumes()).isEqualTo(project.volumes());
        assertThat(ComposeRenderer.toJson(project)).startsWith("{").contains("\"vms\"");
    }

    @Test
    void volumesExampleResolvesSeedSnippetsExactly() throws Exception {
        Path file = examplesDir().resolve("volumes/qemu-compose.yaml");
        ComposeProject project = load(file);
        Path dir = file.getParent();

        assertThat(project.name()).isEqualTo("volumes");
        assertThat(project.volumes().get("postgres_data").size()).isEqualTo(ByteSize.ofGibibytes(20));
        assertThat(project.volumes().get("scratch").size()).isEqualTo(VolumeSpec.DEFAULT_SIZE);
        assertThat(project.vm("database").volumes()).containsExactly(
                new Mount.NamedVolumeMount("postgres_data", "/var/lib/postgresql/data", false),
                new Mount.NamedVolumeMount("app_data", "/mnt/shared", true),
                new Mount.NamedVolumeMount("scratch", "/scratch", false));
        assertThat(project.vm("web").volumes()).containsExactly(
                new Mount.BindMount(dir.resolve("config"), "/etc/myapp", false, true, Optional.empty()),
                new Mount.BindMount(dir.resolve("nginx.conf"), "/etc/nginx/nginx.conf", true, true, Optional.empty()),
                new Mount.BindMount(dir.resolve("scripts"), "/opt/scripts", false, false, Optional.empty()),
                new Mount.BindMount(dir.resolve("cache"), "/var/cache/app", false, true,
                        Optional.of("cache=loose,msize=104857600")));
    }

    @Test
    void bridgeExampleHasManualAndAutoSubnets() throws Exception {
        ComposeProject project = load(examplesDir().resolve("bridge-networks/qemu-compose.yaml"));

        assertThat(project.networks().get("frontend").subnet().toString()).isEqualTo("192.168.100.0/24");
        assertThat(project.networks().get("backend").subnet()).isInstanceOf(SubnetSpec.Auto.class);
        assertThat(project.vm("web").networks()).containsExactly("frontend", "backend");
        assertThat(project.vm("web").dependsOn()).containsEntry("db",
                new Dependency("db", Dependency.Condition.SERVICE_STARTED));
    }

    @Test
    void webStackMergesAnchorsAndReadsDotEnv() throws Exception {
        ComposeProject project = load(examplesDir().resolve("web-stack/qemu-compose.yaml"));
        VmSpec db = project.vm("db");
        VmSpec web = project.vm("web");

        assertThat(project.name()).isEqualTo("webstack");
        assertThat(db.memoryMb()).isEqualTo(2048);
        assertThat(web.memoryMb()).isEqualTo(1024);
        assertThat(web.image().location().toString()).endsWith("debian-12-genericcloud-amd64.qcow2");
        assertThat(web.restart()).isEqualTo(RestartPolicy.UNLESS_STOPPED);
        assertThat(db.restart()).isEqualTo(RestartPolicy.ON_FAILURE);
        assertThat(web.ports()).containsExactly(new PortMapping("127.0.0.1", 8080, 80, PortMapping.Protocol.TCP));
        assertThat(web.environment()).containsEntry("LOG_LEVEL", "info");
        assertThat(web.dependsOn().get("db").condition()).isEqualTo(Dependency.Condition.SERVICE_HEALTHY);
        assertThat(db.healthcheck()).hasValueSatisfying(h -> {
            assertThat(h.shell()).isTrue();
            assertThat(h.test()).containsExactly("pg_isready -q");
            assertThat(h.interval()).hasSeconds(5);
        });
    }
}
