package io.qemucompose.convert.kubevirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qemucompose.apply.VmSeeds;
import io.qemucompose.driver.cloudinit.RenderedSeed;
import io.qemucompose.driver.cloudinit.SeedRenderer;
import io.qemucompose.golden.GoldenFile;
import io.qemucompose.spec.ComposeLoader;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.ComposeSource;
import io.qemucompose.spec.VmSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.databind.json.JsonMapper;

class KubevirtConverterTest {
    static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGoldenGoldenGoldenGoldenGoldenGoldenGold qemu-compose";
    private static final Map<String, String> ENV = Map.of("HOME", "/home/tester");
    private static final ConvertOptions OPTIONS = new ConvertOptions(KEY, Map.of(), false);
    private static KubevirtSchema schema;
    private final KubevirtConverter converter = new KubevirtConverter(new SeedRenderer());
    private final ManifestYaml yaml = new ManifestYaml();

    @TempDir
    Path tmp;

    @BeforeAll
    static void loadSchema() {
        schema = KubevirtSchema.load();
    }

    static Path examplesDir() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("examples"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("an examples/ folder above the module").isNotNull();
        return dir.resolve("examples");
    }

    static Stream<String> examples() throws IOException {
        try (Stream<Path> folders = Files.list(examplesDir())) {
            List<String> names = folders.filter(f -> Files.isRegularFile(f.resolve("qemu-compose.yaml")))
                    .map(f -> f.getFileName().toString()).sorted().toList();
            assertThat(names).hasSizeGreaterThanOrEqualTo(4);
            return names.stream();
        }
    }

    private static ComposeProject load(Path file) throws Exception {
        return new ComposeLoader(ENV).load(ComposeSource.of(file), Optional.empty());
    }

    private static ComposeProject example(String name) throws Exception {
        return load(examplesDir().resolve(name).resolve("qemu-compose.yaml"));
    }

    private ComposeProject project(String compose) throws Exception {
        Path file = tmp.resolve("shop/qemu-compose.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, compose);
        return load(file);
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyExampleConvertsToItsGoldenManifestsAndWarnings(String example) throws Exception {
        KubevirtConversion conversion = converter.convert(example(example), OPTIONS);

        Path golden = Path.of("src/test/resources/io/qemucompose/convert/kubevirt/golden");
        GoldenFile.assertMatches(golden.resolve(example + ".yaml"), yaml.stream(conversion.manifests()));
        StringBuilder warnings = new StringBuilder();
        conversion.warnings().forEach(w -> warnings.append(w).append('\n'));
        GoldenFile.assertMatches(golden.resolve(example + ".warnings.txt"), warnings.toString());
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyManifestOfEveryExampleIsValidForTheKubevirtApi(String example) throws Exception {
        KubevirtConversion conversion = converter.convert(example(example), OPTIONS);

        assertThat(conversion.manifests()).extracting(Manifest::kind).contains("VirtualMachine", "Secret");
        for (Manifest manifest : conversion.manifests()) {
            // validated as kubectl reads it: the YAML text, not the maps it was made from
            Object read = new Load(LoadSettings.builder().build()).loadFromString(yaml.document(manifest));
            assertThat(schema.problems(manifest.kind(), JsonMapper.builder().build().valueToTree(read)))
                    .as(manifest.fileName()).isEmpty();
        }
    }

    @Test
    void theSchemaRefusesAnUnknownFieldAndAWrongType() throws Exception {
        Manifest vm = converter.convert(example("single-vm"), OPTIONS).manifests().stream()
                .filter(m -> m.kind().equals("VirtualMachine")).findFirst().orElseThrow();
        assertThat(schema.problems(vm)).isEmpty();
        var json = JsonMapper.builder().build();

        var unknown = (tools.jackson.databind.node.ObjectNode) json.valueToTree(vm.object());
        ((tools.jackson.databind.node.ObjectNode) unknown.at("/spec/template/spec/domain")).put("cpus", 2);
        assertThat(schema.problems("VirtualMachine", unknown)).singleElement().asString().contains("cpus");

        var wrongType = (tools.jackson.databind.node.ObjectNode) json.valueToTree(vm.object());
        ((tools.jackson.databind.node.ObjectNode) wrongType.at("/spec/template/spec/domain/cpu")).put("cores", "two");
        assertThat(schema.problems("VirtualMachine", wrongType)).singleElement().asString().contains("cores");

        var typoInService = json.readTree("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"x\"},"
                + "\"spec\":{\"ports\":[{\"port\":80,\"targetport\":8080}]}}");
        assertThat(schema.problems("Service", typoInService)).singleElement().asString().contains("targetport");
    }

    @ParameterizedTest
    @MethodSource("examples")
    void theUserDataInTheManifestIsTheSeedUpWritesByteForByte(String example) throws Exception {
        ComposeProject project = example(example);
        KubevirtConversion conversion = converter.convert(project, OPTIONS);

        for (VmSpec vm : project.vms().values()) {
            RenderedSeed seed = VmSeeds.render(project, vm, KEY, new SeedRenderer());
            Manifest secret = conversion.manifests().stream()
                    .filter(m -> m.kind().equals("Secret") && m.name().equals(vm.name() + "-cloudinit"))
                    .findFirst().orElseThrow();
            Map<?, ?> stringData = (Map<?, ?>) ((Map<?, ?>) new Load(LoadSettings.builder().build())
                    .loadFromString(yaml.document(secret))).get("stringData");
            String userData = (String) stringData.get("userdata");
            List<String> parts = cloudConfigParts(userData);
            assertThat(parts.getFirst()).as(vm.name() + " user-data").isEqualTo(seed.userData());
            assertThat(Optional.ofNullable((String) stringData.get("networkdata"))).as(vm.name() + " network-config")
                    .isEqualTo(seed.networkConfig());
            boolean formatsVolumes = parts.size() > 1;
            assertThat(formatsVolumes).as(vm.name() + " formats blank volumes")
                    .isEqualTo(vm.volumes().stream().anyMatch(m -> m instanceof io.qemucompose.spec.Mount.NamedVolumeMount v
                            && !v.readOnly()));
        }
    }

    /** The user-data itself, or the cloud-config parts of a MIME multipart, read by a real MIME parser. */
    private static List<String> cloudConfigParts(String userData) throws IOException {
        if (!userData.startsWith("Content-Type: multipart/")) {
            return List.of(userData);
        }
        var message = new DefaultMessageBuilder().parseMessage(
                new ByteArrayInputStream(userData.getBytes(StandardCharsets.UTF_8)));
        List<String> parts = new ArrayList<>();
        for (var entity : ((Multipart) message.getBody()).getBodyParts()) {
            assertThat(entity.getMimeType()).isEqualTo("text/cloud-config");
            try (var in = ((TextBody) entity.getBody()).getInputStream()) {
                parts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return parts;
    }

    @Test
    void blankVolumesAreFormattedOnlyWhenTheyHoldNoFileSystem() throws Exception {
        ComposeProject project = example("volumes");
        KubevirtConversion conversion = converter.convert(project, OPTIONS);
        String userData = (String) ((Map<?, ?>) conversion.manifests().stream()
                .filter(m -> m.name().equals("database-cloudinit")).findFirst().orElseThrow()
                .object().get("stringData")).get("userdata");

        List<String> parts = cloudConfigParts(userData);
        assertThat(parts).hasSize(2);
        assertThat(parts.get(1)).isEqualTo("""
                #cloud-config
                bootcmd:
                  - [sh, -c, 'if [ -b /dev/disk/by-id/virtio-qc-postgres_data ] && ! blkid /dev/disk/by-id/virtio-qc-postgres_data >/dev/null 2>&1; then mkfs.ext4 -q /dev/disk/by-id/virtio-qc-postgres_data; fi']
                  - [sh, -c, 'if [ -b /dev/disk/by-id/virtio-qc-scratch ] && ! blkid /dev/disk/by-id/virtio-qc-scratch >/dev/null 2>&1; then mkfs.ext4 -q /dev/disk/by-id/virtio-qc-scratch; fi']
                """);
        assertThat(conversion.warnings()).extracting(ConversionWarning::path).contains("volumes.app_data");
    }

    @Test
    void whatKubevirtCannotDoIsAWarningNamingTheField() throws Exception {
        ComposeProject project = project("""
                vms:
                  db:
                    image: https://example.org/debian.qcow2
                    disk: {size: 4G}
                  web:
                    image: https://example.org/debian.qcow2
                    disk: {size: 4G}
                    ssh: {port: 2299}
                    ports: ["0.0.0.0:8080:80"]
                    volumes: ["./site:/srv/site"]
                    depends_on: [db]
                """);
        Files.createDirectories(tmp.resolve("shop/site"));

        KubevirtConversion conversion = converter.convert(project, OPTIONS);

        assertThat(conversion.warnings()).extracting(ConversionWarning::path).containsExactly(
                "vms.web.volumes[0]", "vms.web.ports[0]", "vms.web.ssh.port", "vms.web.depends_on.db");
        assertThat(conversion.warnings().get(2).message()).contains("virtctl port-forward vm/web 2299:22");
    }

    @Test
    void podNetworkOnlyLeavesBridgeNetworksOutWithAWarning() throws Exception {
        KubevirtConversion conversion = converter.convert(example("bridge-networks"),
                new ConvertOptions(KEY, Map.of(), true));

        assertThat(conversion.manifests()).extracting(Manifest::kind).doesNotContain("NetworkAttachmentDefinition");
        assertThat(conversion.warnings()).extracting(ConversionWarning::path)
                .containsSubsequence("networks.frontend", "networks.backend");
        Map<?, ?> web = conversion.manifests().stream().filter(m -> m.kind().equals("VirtualMachine")
                && m.name().equals("web")).findFirst().orElseThrow().object();
        assertThat(yaml.document(new Manifest("VirtualMachine", "web", castMap(web)))).doesNotContain("multus");
    }

    @Test
    void aLeasedSubnetIsUsedForAnAutoNetwork() throws Exception {
        KubevirtConversion conversion = converter.convert(example("bridge-networks"),
                new ConvertOptions(KEY, Map.of("backend", "172.16.7.0/24"), false));

        String backend = yaml.document(conversion.manifests().stream()
                .filter(m -> m.name().equals("backend")).findFirst().orElseThrow());
        assertThat(backend).contains("\"subnet\":\"172.16.7.0/24\"");
        assertThat(conversion.warnings()).extracting(ConversionWarning::path).doesNotContain("networks.backend.subnet");
    }

    @Test
    void twoVolumesThatKubernetesWouldNameAlikeAreRefused() throws Exception {
        ComposeProject project = project("""
                volumes:
                  app_data: {}
                  app-data: {}
                vms:
                  web:
                    image: https://example.org/debian.qcow2
                """);

        assertThatThrownBy(() -> converter.convert(project, OPTIONS))
                .isInstanceOf(KubevirtConversionException.class)
                .hasMessage("volumes.app-data: becomes the Kubernetes name 'app-data', as volumes.app_data does"
                        + " (names are lower-cased and '_' becomes '-'); rename one of them");
    }

    @Test
    void restartPoliciesBecomeRunStrategies() {
        assertThat(VirtualMachineManifests.runStrategy(io.qemucompose.spec.RestartPolicy.NO)).isEqualTo("Once");
        assertThat(VirtualMachineManifests.runStrategy(io.qemucompose.spec.RestartPolicy.ON_FAILURE))
                .isEqualTo("RerunOnFailure");
        assertThat(VirtualMachineManifests.runStrategy(io.qemucompose.spec.RestartPolicy.UNLESS_STOPPED))
                .isEqualTo("Always");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
