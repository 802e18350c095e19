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

class ComposeLoaderTest {
    private static final String IMAGE = "https://example.org/debian.qcow2";
    @TempDir
    Path dir;

    private Path write(String name, String yaml) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
        return file;
    }

    private ComposeProject load(String yaml) throws Exception {
        return load(yaml, Map.of());
    }

    private ComposeProject load(String yaml, Map<String, String> env) throws Exception {
        return new ComposeLoader(env).load(ComposeSource.of(write("app/qemu-compose.yaml", yaml)), Optional.empty());
    }

    @Test
    void missingFieldsGetTheirDefaults() throws Exception {
        VmSpec vm = load("vms:\n  web:\n    image: " + IMAGE + "\n").vm("web");

        assertThat(vm.cpu()).isEqualTo(VmSpec.DEFAULT_CPU);
        assertThat(vm.memoryMb()).isEqualTo(VmSpec.DEFAULT_MEMORY_MB);
        assertThat(vm.diskSize()).isEmpty();
        assertThat(vm.networks()).isEmpty();
        assertThat(vm.restart()).isEqualTo(RestartPolicy.NO);
        assertThat(vm.healthcheck()).isEmpty();
        assertThat(vm.image().checksum()).isEmpty();
    }

    @Test
    void yaml12KeepsMacAddressesAndYesAsStrings() throws Exception {
        VmSpec vm = load("""
                vms:
                  web:
                    image: %s
                    environment:
                      MAC: 52:54:00:12:34:56
                      FLAG: yes
                      OCTAL: 0o17
                """.formatted(IMAGE)).vm("web");

        assertThat(vm.environment()).containsEntry("MAC", "52:54:00:12:34:56").containsEntry("FLAG", "yes")
                .containsEntry("OCTAL", "0o17");
    }

    @Test
    void memoryReadsPlainMegabytesOrAUnit() throws Exception {
        String yaml = "vms:\n  a: {image: %s, memory: 512}\n  b: {image: %s, memory: 2G}\n  c: {image: %s, memory: 1.5GiB}\n"
                .formatted(IMAGE, IMAGE, IMAGE);
        ComposeProject project = load(yaml);

        assertThat(project.vms().values()).extracting(VmSpec::memoryMb).containsExactly(512L, 2048L, 1536L);
    }

    @Test
    void explicitKeysWinOverMergedOnesWhereverTheyStand() throws Exception {
        ComposeProject project = load("""
                x-small: &small {cpu: 1, memory: 512, image: %s}
                x-big: &big {cpu: 8, memory: 8192, restart: always}
                vms:
                  a:
                    memory: 1024
                    <<: *small
                  b:
                    <<: [*small, *big]
                  c:
                    <<: [*big, *small]
                """.formatted(IMAGE));

        assertThat(project.vm("a").memoryMb()).isEqualTo(1024);
        assertThat(project.vm("a").cpu()).isEqualTo(1);
        assertThat(project.vm("b").cpu()).isEqualTo(1);
        assertThat(project.vm("b").restart()).isEqualTo(RestartPolicy.ALWAYS);
        assertThat(project.vm("c").cpu()).isEqualTo(8);
    }

    @Test
    void extensionFieldsAreIgnoredAtEveryLevel() throws Exception {
        ComposeProject project = load("""
                x-top: whatever
                networks:
                  net:
                    x-note: [1, 2]
                volumes:
                  data: {x-owner: me, size: 1G}
                vms:
                  web:
                    x-comment: {anything: goes}
                    image: %s
                    networks: [net]
                    volumes:
                      - {source: data, target: /data, x-why: because}
                """.formatted(IMAGE));

        assertThat(project.vm("web").volumes()).hasSize(1);
    }

    @Test
    void laterFilesMergeOverEarlierOnesAndErrorsNameTheirFile() throws Exception {
        Path base = write("app/qemu-compose.yaml", """
                vms:
                  web:
                    image: %s
                    cpu: 1
                    ports: ["8080:80"]
                """.formatted(IMAGE));
        Path override = write("app/override.yaml", """
                vms:
                  web:
                    cpu: 4
                    ports: ["9090:80"]
                  db:
                    image: %s
                """.formatted(IMAGE));
        ComposeSource source = new ComposeSource(List.of(base, override), base.getParent());

        ComposeProject project = new ComposeLoader(Map.of()).load(source, Optional.empty());

        assertThat(project.vms().keySet()).containsExactly("web", "db");
        assertThat(project.vm("web").cpu()).isEqualTo(4);
        assertThat(project.vm("web").image().location().toString()).isEqualTo(IMAGE);
        // lists are appended as in docker compose (they used to be replaced)
        assertThat(project.vm("web").ports()).extracting(PortMapping::hostPort).containsExactly(8080, 9090);

        Files.writeString(override, "vms:\n  web:\n    memroy: 1\n");
        assertThatThrownBy(() -> new ComposeLoader(Map.of()).load(source, Optional.empty()))
                .isInstanceOfSatisfying(ComposeFileException.class, e -> assertThat(e.problems())
                        .singleElement().satisfies(p -> {
                            assertThat(p.file()).isEqualTo(override);
                            assertThat(p.line()).isEqualTo(3);
                        }));
    }

    @Test
    void environmentWinsOverDotEnvWhichFillsTheRest() throws Exception {
        write("app/.env", "# comment\nexport CPU=3\nMEM='1024'\nPORT=\"8080\" \n");
        String yaml = "vms:\n  web:\n    image: %s\n    cpu: ${CPU}\n    memory: $MEM\n    ports: [\"${PORT}:80\"]\n"
                .formatted(IMAGE);

        VmSpec vm = load(yaml, Map.of("CPU", "6")).vm("web");

        assertThat(vm.cpu()).isEqualTo(6);
        assertThat(vm.memoryMb()).isEqualTo(1024);
        assertThat(vm.ports().getFirst().hostPort()).isEqualTo(8080);
    }

    @Test
    void relativePathsResolveAgainstTheComposeFileFolderNotTheCurrentFolder() throws Exception {
        write("app/qemu-compose.yaml", """
                vms:
                  web:
                    image: images/base.qcow2
                    volumes:
                      - ./config:/etc/app:ro
                      - ../shared:/shared
                      - ~/notes:/notes
                    provision:
                      - type: shell
                        script: scripts/setup.sh
                """);
        Path elsewhere = Files.createDirectories(dir.resolve("somewhere/else"));
        ComposeSource source = ComposeFiles.locate(List.of("../../app/qemu-compose.yaml"), Map.of(), elsewhere);

        VmSpec vm = new ComposeLoader(Map.of("HOME", "/home/tester")).load(source, Optional.empty()).vm("web");

        assertThat(vm.image().location()).isEqualTo(dir.resolve("app/images/base.qcow2").toUri());
        assertThat(vm.volumes()).extracting(m -> ((Mount.BindMount) m).source()).containsExactly(
                dir.resolve("app/config"), dir.resolve("shared"), Path.of("/home/tester/notes"));
        assertThat(vm.provision()).containsExactly(new Provision.ShellScript(dir.resolve("app/scripts/setup.sh")));
    }

    @Test
    void bindMountsOfCredentialFoldersAreRefusedAlsoThroughASymlinkOrDotDot() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home/tester"));
        Files.createDirectories(home.resolve(".ssh"));
        Files.createDirectories(dir.resolve("app"));
        Files.createSymbolicLink(dir.resolve("app/keys"), home.resolve(".ssh"));
        String yaml = """
                vms:
                  web:
                    image: %s
                    volumes:
                      - ~/.gnupg:/gpg
                      - ./keys:/keys
                      - ../home/tester/.aws/credentials:/aws
                      - ../home/tester:/myhome
                      - ./src:/src
                      - ../shared:/shared
                """.formatted(IMAGE);

        assertThatThrownBy(() -> load(yaml, Map.of("HOME", home.toString())))
                .isInstanceOfSatisfying(ComposeFileException.class, e -> assertThat(e.problems())
                        .extracting(p -> p.line() + ":" + p.fieldPath() + ":" + p.message())
                        .satisfiesExactly(
                                p -> assertThat(p).startsWith("5:vms.web.volumes[0]:").contains(home.resolve(".gnupg").toString()),
                                p -> assertThat(p).startsWith("6:vms.web.volumes[1]:").contains(home.resolve(".ssh").toString()),
                                p -> assertThat(p).startsWith("7:vms.web.volumes[2]:").contains(".aws"),
                                p -> assertThat(p).startsWith("8:vms.web.volumes[3]:").contains("holds credential folders")));

        // the user's own environment (not the file, not .env) can allow them
        Files.writeString(dir.resolve("app/.env"), "QEMU_COMPOSE_ALLOW_DANGEROUS_BINDS=true\n");
        assertThatThrownBy(() -> load(yaml, Map.of("HOME", home.toString()))).isInstanceOf(ComposeFileException.class);
        VmSpec vm = load(yaml, Map.of("HOME", home.toString(), "QEMU_COMPOSE_ALLOW_DANGEROUS_BINDS", "true")).vm("web");
        assertThat(vm.volumes()).hasSize(6);
    }

    @Test
    void projectNameComesFromFlagThenNameThenNormalizedFolder() throws Exception {
        Path file = write("My App.v2/qemu-compose.yaml", "vms:\n  web:\n    image: " + IMAGE + "\n");
        ComposeLoader loader = new ComposeLoader(Map.of());

        assertThat(loader.load(ComposeSource.of(file), Optional.empty()).name()).isEqualTo("myappv2");
        assertThat(loader.load(ComposeSource.of(file), Optional.of("flag")).name()).isEqualTo("flag");
        Files.writeString(file, "name: named\nvms:\n  web:\n    image: " + IMAGE + "\n");
        assertThat(loader.load(ComposeSource.of(file), Optional.empty()).name()).isEqualTo("named");
        assertThatThrownBy(() -> loader.load(ComposeSource.of(file), Optional.of("Bad Name")))
                .hasMessageContaining("--project-name: found 'Bad Name'");
    }

    @Test
    void dollarDollarIsALiteralDollar() throws Exception {
        VmSpec vm = load("vms:\n  web:\n    image: %s\n    environment:\n      PRICE: $$5\n".formatted(IMAGE)).vm("web");

        assertThat(vm.environment()).containsEntry("PRICE", "$5");
    }

    @Test
    void keysAreNotInterpolated() {
        assertThatThrownBy(() -> load("vms:\n  web:\n    image: %s\n    environment:\n      ${KEY}: x\n"
                .formatted(IMAGE), Map.of("KEY", "K")))
                .hasMessageContaining("vms.web.environment.${KEY}: found '${KEY}', expected a variable name");
    }

    @Test
    void listFormEnvironmentTakesBareNamesFromTheHost() throws Exception {
        VmSpec vm = load("vms:\n  web:\n    image: %s\n    environment:\n      - A=1=2\n      - FROM_HOST\n      - UNSET\n"
                .formatted(IMAGE), Map.of("FROM_HOST", "h")).vm("web");

        assertThat(vm.environment()).containsExactly(Map.entry("A", "1=2"), Map.entry("FROM_HOST", "h"));
    }

    @Test
    void jsonRenderingHoldsAbsolutePathsAndFilledDefaults() throws Exception {
        ComposeProject project = load("vms:\n  web:\n    image: %s\n    volumes: [./data:/data]\n".formatted(IMAGE));

        String json = ComposeRenderer.toJson(project);

        assertThat(json).contains("\"source\" : \"" + dir.resolve("app/data") + "\"")
                .contains("\"cpu\" : 2").contains("\"restart\" : \"no\"").contains("\"name\" : \"app\"");
    }
}
