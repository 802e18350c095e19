package io.qemucompose.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code extends:} as compose-go's loader tests pin it down (same-file and other-file bases,
 * nested bases, merge by the override rules, paths relative to the declaring file, cycles and
 * missing targets as errors), translated to {@code vms:}.
 */
class ExtendsTest {
    private static final String IMAGE = "https://example.org/debian.qcow2";
    @TempDir
    Path dir;

    private Path write(String name, String yaml) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
        return file;
    }

    private ComposeProject load(Path file) throws Exception {
        return new ComposeLoader(Map.of("HOME", dir.toString())).load(ComposeSource.of(file), Optional.of("app"));
    }

    @Test
    void aVmInheritsAnotherOfTheSameFileAndOverridesWhatItWrites() throws Exception {
        ComposeProject project = load(write("app/qemu-compose.yaml", """
                vms:
                  base:
                    image: %s
                    cpu: 4
                    memory: 1024
                    environment: {A: "1", B: "2"}
                  web:
                    extends: base
                    memory: 2048
                    environment: {B: "3"}
                """.formatted(IMAGE)));

        VmSpec web = project.vm("web");
        assertThat(web.cpu()).isEqualTo(4);
        assertThat(web.memoryMb()).isEqualTo(2048);
        assertThat(web.environment()).isEqualTo(Map.of("A", "1", "B", "3"));
        assertThat(web.image().location().toString()).isEqualTo(IMAGE);
    }

    @Test
    void listsMergeAsForOverrideFiles() throws Exception {
        ComposeProject project = load(write("app/qemu-compose.yaml", """
                vms:
                  base:
                    image: %s
                    volumes: ["./a:/srv/a", "./b:/srv/b"]
                  web:
                    extends: {service: base}
                    volumes: ["./c:/srv/a"]
                """.formatted(IMAGE)));

        assertThat(project.vm("web").volumes()).extracting(Mount::target).containsExactly("/srv/a", "/srv/b");
        assertThat(((Mount.BindMount) project.vm("web").volumes().getFirst()).source())
                .isEqualTo(dir.resolve("app/c"));
    }

    @Test
    void aBaseInAnotherFileKeepsItsPathsRelativeToThatFile() throws Exception {
        write("common/base.yaml", """
                vms:
                  root:
                    image: ./images/debian.qcow2
                    memory: 1024
                  base:
                    extends: root
                    volumes: ["./site:/srv/site"]
                    provision:
                      - {type: shell, script: ./setup.sh}
                """);
        Files.writeString(dir.resolve("common/setup.sh"), "true\n");
        ComposeProject project = load(write("app/qemu-compose.yaml", """
                vms:
                  web:
                    extends: {file: ../common/base.yaml, service: base}
                    volumes: ["./data:/srv/data"]
                """));

        VmSpec web = project.vm("web");
        assertThat(web.image().location()).isEqualTo(dir.resolve("common/images/debian.qcow2").toUri());
        assertThat(web.memoryMb()).isEqualTo(1024);
        assertThat(web.volumes()).extracting(m -> ((Mount.BindMount) m).source().toString())
                .containsExactly(dir.resolve("common/site").toString(), dir.resolve("app/data").toString());
        assertThat(web.provision()).containsExactly(new Provision.ShellScript(dir.resolve("common/setup.sh")));
        assertThat(project.vms()).containsOnlyKeys("web");
    }

    @Test
    void missingFilesAndVmsAreErrorsAtTheirPlace() throws Exception {
        Path file = write("app/qemu-compose.yaml", """
                vms:
                  web:
                    extends: {file: ./nope.yaml, service: base}
                  db:
                    extends: bsae
                    image: %s
                  base:
                    image: %1$s
                """.formatted(IMAGE));

        assertThatThrownBy(() -> load(file))
                .isInstanceOf(ComposeFileException.class)
                .hasMessageContaining("qemu-compose.yaml:3:21: vms.web.extends.file: cannot read "
                        + dir.resolve("app/nope.yaml") + ": no such file")
                .hasMessageContaining("qemu-compose.yaml:5:14: vms.db.extends: no VM named 'bsae' in")
                .hasMessageContaining("(did you mean 'base'?)");
    }

    @Test
    void cyclesAreRefusedWithTheChain() throws Exception {
        write("app/other.yaml", """
                vms:
                  b: {extends: {file: qemu-compose.yaml, service: a}}
                """);
        Path file = write("app/qemu-compose.yaml", """
                vms:
                  a:
                    extends: {file: other.yaml, service: b}
                  self:
                    extends: self
                """);

        assertThatThrownBy(() -> load(file))
                .hasMessageContaining("other.yaml:2:51: vms.b.extends: circular extends: a -> b -> a")
                .hasMessageContaining(":5:14: vms.self.extends: circular extends: self -> self");
    }

    @Test
    void anUnknownExtendsKeyIsNamed() throws Exception {
        assertThatThrownBy(() -> load(write("app/qemu-compose.yaml", """
                vms:
                  base: {image: %s}
                  web: {extends: {service: base, files: x}}
                """.formatted(IMAGE))))
                .hasMessageContaining("vms.web.extends.files: unknown key 'files'");
    }

    @Test
    void scaledAndExtendedTogether() throws Exception {
        ComposeProject project = load(write("app/qemu-compose.yaml", """
                vms:
                  base: {image: %s, deploy: {replicas: 2}}
                  web: {extends: base, memory: 1024}
                """.formatted(IMAGE)));

        assertThat(project.vms().keySet()).containsExactly("base", "base-2", "web", "web-2");
        assertThat(List.copyOf(project.vms().keySet())).hasSize(4);
    }
}
