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

/** {@code deploy.replicas} and {@code up --scale}: one VM definition, several instances. */
class ReplicasTest {
    private static final String IMAGE = "https://example.org/debian.qcow2";
    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Path file = dir.resolve("app/qemu-compose.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
        return file;
    }

    private ComposeProject load(String yaml, Map<String, Integer> scale) throws Exception {
        return new ComposeLoader(Map.of()).withScale(scale).load(ComposeSource.of(write(yaml)), Optional.empty());
    }

    @Test
    void replicasMakeInstancesWhoseFirstKeepsTheVmsName() throws Exception {
        ComposeProject project = load("""
                vms:
                  web:
                    image: %s
                    deploy: {replicas: 3}
                  db: {image: %1$s}
                """.formatted(IMAGE), Map.of());

        assertThat(project.vms()).containsOnlyKeys("web", "web-2", "web-3", "db");
        assertThat(project.vm("web-3").replica()).isEqualTo(new Replica("web", 3, 3));
        assertThat(project.vm("web").replica()).isEqualTo(new Replica("web", 1, 3));
        assertThat(project.vm("db").replica()).isEqualTo(Replica.single("db"));
    }

    @Test
    void scaleWinsOverTheFileAndOneInstanceIsTheVmAlone() throws Exception {
        String yaml = """
                vms:
                  web:
                    image: %s
                    deploy: {replicas: 3}
                """.formatted(IMAGE);

        assertThat(load(yaml, Map.of("web", 1)).vms()).containsOnlyKeys("web");
        assertThat(load(yaml, Map.of("web", 2)).vms()).containsOnlyKeys("web", "web-2");
    }

    @Test
    void aDependencyOnAScaledVmIsOneOnEachInstance() throws Exception {
        ComposeProject project = load("""
                vms:
                  web: {image: %s}
                  proxy:
                    image: %1$s
                    depends_on: {web: {condition: service_healthy}}
                """.formatted(IMAGE), Map.of("web", 2));

        assertThat(project.vm("proxy").dependsOn()).containsOnlyKeys("web", "web-2");
        assertThat(project.vm("proxy").dependsOn().get("web-2").condition())
                .isEqualTo(Dependency.Condition.SERVICE_HEALTHY);
    }

    @Test
    void fixedHostPortsCannotBeSharedByInstances() throws Exception {
        assertThatThrownBy(() -> load("""
                vms:
                  web:
                    image: %s
                    ports: ["8080:80"]
                    ssh: {port: 2300}
                    deploy: {replicas: 2}
                """.formatted(IMAGE), Map.of()))
                .isInstanceOf(ComposeFileException.class)
                .hasMessageContaining("qemu-compose.yaml:4:13: vms.web.ports[0]: 2 instances of 'web'")
                .hasMessageContaining("a published host port")
                .hasMessageContaining(":5:17: vms.web.ssh.port: 2 instances of 'web'");
    }

    @Test
    void badCountsAndUnknownVmsAreRefused() throws Exception {
        String yaml = """
                vms:
                  web:
                    image: %s
                    deploy: {replicas: 0, resources: {}}
                """.formatted(IMAGE);
        assertThatThrownBy(() -> load(yaml, Map.of()))
                .hasMessageContaining(":4:24: vms.web.deploy.replicas:")
                .hasMessageContaining("expected a number of instances")
                .hasMessageContaining("vms.web.deploy.resources: unknown key 'resources'");
        assertThatThrownBy(() -> load("vms: {web: {image: %s}}".formatted(IMAGE), Map.of("wbe", 2)))
                .hasMessageContaining("--scale: no VM named 'wbe' in the file (did you mean 'web'?)");
    }

    @Test
    void anInstanceNameTakenByAnotherVmIsRefused() throws Exception {
        assertThatThrownBy(() -> load("""
                vms:
                  web: {image: %s, deploy: {replicas: 2}}
                  web-2: {image: %1$s}
                """.formatted(IMAGE), Map.of()))
                .hasMessageContaining(":2:3: vms.web.deploy.replicas: instance 2 of 'web' would be named 'web-2'");
    }

    @Test
    void aScaledNameStandsForAllItsInstances() throws Exception {
        ComposeProject project = load("vms: {web: {image: %s}, db: {image: %1$s}}".formatted(IMAGE), Map.of("web", 2));

        assertThat(Replica.expand(project.vms().values(), List.of("web", "db"))).containsExactly("web", "web-2", "db");
        assertThat(Replica.expand(project.vms().values(), List.of("web-2"))).containsExactly("web-2");
    }

    @Test
    void configShowsTheDefinitionOnceWithItsCount() throws Exception {
        ComposeProject project = load("vms: {web: {image: %s}}".formatted(IMAGE), Map.of("web", 2));

        String yaml = ComposeRenderer.toYaml(project);
        assertThat(yaml).contains("deploy:\n      replicas: 2").doesNotContain("web-2");
    }

    @Test
    void surplusInstancesAreKnownByTheirRecord() {
        assertThat(Replica.surplusOf("web-3", Map.of(Replica.FIELD, "web"))).contains("web");
        assertThat(Replica.surplusOf("web-3", Map.of())).isEmpty();
        assertThat(Replica.surplusOf("web-x", Map.of(Replica.FIELD, "web"))).isEmpty();
        assertThat(Replica.surplusOf("api-2", Map.of(Replica.FIELD, "web"))).isEmpty();
    }
}
