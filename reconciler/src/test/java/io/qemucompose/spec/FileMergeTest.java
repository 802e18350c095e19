package io.qemucompose.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several -f files and several YAML documents, by the cases of compose-go's override tests. */
class FileMergeTest {
    private static final String IMAGE = "https://example.org/debian.qcow2";
    private static final String BASE = """
            networks:
              front: {}
              back: {}
            volumes:
              data: {}
              logs: {}
            vms:
              db:
                image: %s
              web:
                image: %s
            """.formatted(IMAGE, IMAGE);
    @TempDir
    Path dir;

    private VmSpec web(String... overrides) throws Exception {
        return load(overrides).vm("web");
    }

    private ComposeProject load(String... overrides) throws Exception {
        List<Path> files = new ArrayList<>();
        files.add(write("qemu-compose.yaml", BASE));
        for (int i = 0; i < overrides.length; i++) {
            files.add(write("override" + i + ".yaml", overrides[i]));
        }
        return new ComposeLoader(Map.of("HOME", "/home/t", "FROM_HOST", "h"))
                .load(new ComposeSource(files, dir), Optional.empty());
    }

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void environmentMergesByName() throws Exception {
        assertThat(web("vms: {web: {environment: {A: '1', B: '2'}}}", "vms: {web: {environment: {B: '3', C: '4'}}}")
                .environment()).containsExactly(Map.entry("A", "1"), Map.entry("B", "3"), Map.entry("C", "4"));
        assertThat(web("vms: {web: {environment: [A=1, B=2]}}", "vms: {web: {environment: [B=3, C=4]}}")
                .environment()).containsExactly(Map.entry("A", "1"), Map.entry("B", "3"), Map.entry("C", "4"));
        assertThat(web("vms: {web: {environment: {A: '1', B: '2', FROM_HOST: null}}}",
                "vms: {web: {environment: [B=3, C=4]}}").environment())
                .containsExactly(Map.entry("A", "1"), Map.entry("B", "3"), Map.entry("FROM_HOST", "h"),
                        Map.entry("C", "4"));
    }

    @Test
    void volumesMergeByTarget() throws Exception {
        VmSpec web = web("vms: {web: {volumes: ['data:/srv', './a:/etc/a']}}",
                "vms: {web: {volumes: [{source: logs, target: /srv}, 'data:/var/lib']}}");

        assertThat(web.volumes()).containsExactly(new Mount.NamedVolumeMount("logs", "/srv", false),
                new Mount.BindMount(dir.resolve("a"), "/etc/a", false, true, Optional.empty()),
                new Mount.NamedVolumeMount("data", "/var/lib", false));
    }

    @Test
    void portsAreAppendedAndTheSameMappingIsKeptOnce() throws Exception {
        VmSpec web = web("vms: {web: {ports: ['8080:80', '2222:22']}}", "vms: {web: {ports: ['9090:90', '8080:80']}}");

        assertThat(web.ports()).extracting(PortMapping::hostPort).containsExactly(8080, 2222, 9090);
    }

    @Test
    void networksAreAUnionAndDependsOnMergesByVm() throws Exception {
        VmSpec web = web("vms: {web: {networks: [front], depends_on: [db]}}",
                "vms: {web: {networks: [back, front], depends_on: {db: {condition: service_healthy}}}}");

        assertThat(web.networks()).containsExactly("front", "back");
        assertThat(web.dependsOn()).containsExactly(Map.entry("db",
                new Dependency("db", Dependency.Condition.SERVICE_HEALTHY)));
        assertThat(web("vms: {web: {depends_on: {db: {condition: service_healthy}}}}", "vms: {web: {depends_on: [db]}}")
                .dependsOn().get("db").condition()).isEqualTo(Dependency.Condition.SERVICE_STARTED);
    }

    @Test
    void healthcheckTestIsReplacedNotAppended() throws Exception {
        VmSpec web = web("vms: {web: {healthcheck: {test: [CMD, 'true'], retries: 5}}}",
                "vms: {web: {healthcheck: {test: [CMD-SHELL, 'exit 0']}}}");

        assertThat(web.healthcheck()).hasValueSatisfying(h -> {
            assertThat(h.test()).containsExactly("exit 0");
            assertThat(h.retries()).isEqualTo(5);
        });
    }

    @Test
    void resetDropsWhatEarlierFilesSaid() throws Exception {
        VmSpec web = web("vms: {web: {cpu: 4, ports: ['8080:80'], environment: {A: '1'}}}",
                "vms:\n  web:\n    cpu: !reset null\n    ports: !reset []\n    environment: !reset {}\n");

        assertThat(web.cpu()).isEqualTo(VmSpec.DEFAULT_CPU);
        assertThat(web.ports()).isEmpty();
        assertThat(web.environment()).isEmpty();
        assertThat(load("vms:\n  db: !reset\n").vms()).containsOnlyKeys("web");
    }

    @Test
    void overrideReplacesInsteadOfMerging() throws Exception {
        VmSpec web = web("vms: {web: {ports: ['8080:80'], environment: {A: '1', B: '2'}}}",
                "vms:\n  web:\n    ports: !override ['9090:80']\n    environment: !override {C: '3'}\n");

        assertThat(web.ports()).extracting(PortMapping::hostPort).containsExactly(9090);
        assertThat(web.environment()).containsExactly(Map.entry("C", "3"));
    }

    @Test
    void aResetKeyStillCountsForDuplicates() {
        assertThatThrownBy(() -> web("vms:\n  web:\n    cpu: !reset null\n    cpu: 2\n"))
                .hasMessageContaining("override0.yaml:4:5: vms.web.cpu: duplicate key 'cpu' (first defined at 3:5)");
    }

    @Test
    void anEmptyOverrideFileIsFine() throws Exception {
        assertThat(load("", "# only a comment\n").vms()).containsOnlyKeys("db", "web");
    }

    @Test
    void onlyEmptyFilesAreStillAnError() throws Exception {
        Path empty = write("empty.yaml", "");
        assertThatThrownBy(() -> new ComposeLoader(Map.of()).load(ComposeSource.of(empty), Optional.empty()))
                .hasMessage(empty + ":1:1: the file is empty, expected a mapping with 'vms:'");
    }

    @Test
    void laterDocumentsOfAFileMergeOverEarlierOnes() throws Exception {
        Path file = write("multi.yaml", """
                vms:
                  web:
                    image: %s
                    cpu: 1
                ---
                vms:
                  web:
                    cpu: 2
                ---
                """.formatted(IMAGE));

        ComposeProject project = new ComposeLoader(Map.of()).load(ComposeSource.of(file), Optional.empty());

        assertThat(project.vm("web").cpu()).isEqualTo(2);
    }

    @Test
    void anEmptyValueInAnOverrideKeepsTheEarlierOne() throws Exception {
        assertThat(web("vms: {web: {ports: ['8080:80']}}", "vms: {web: {ports: null}}").ports()).hasSize(1);
    }

    @Test
    void problemsInAMergedListPointIntoTheFileTheyCameFrom() throws Exception {
        assertThatThrownBy(() -> web("vms: {web: {ports: ['8080:80']}}", "vms:\n  web:\n    ports: ['8080:99999']\n"))
                .isInstanceOfSatisfying(ComposeFileException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> {
                            assertThat(p.file()).isEqualTo(dir.resolve("override1.yaml"));
                            assertThat(p.line() + ":" + p.column()).isEqualTo("3:13");
                            assertThat(p.fieldPath()).isEqualTo("vms.web.ports[1]");
                        }));
    }
}
