package io.qemucompose.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour docker compose users rely on, as compose-go's loader tests pin it down. */
class ComposeParityTest {
    private static final String IMAGE = "https://example.org/debian.qcow2";
    @TempDir
    Path dir;

    private ComposeProject load(String yaml, Map<String, String> env) throws Exception {
        Path file = dir.resolve("app/qemu-compose.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
        return new ComposeLoader(env).load(ComposeSource.of(file), Optional.empty());
    }

    @Test
    void aVmNamedLikeAnExtensionIsAVm() throws Exception {
        ComposeProject project = load("""
                networks:
                  x-net: {}
                vms:
                  x-foo:
                    image: %s
                    networks: [x-net]
                  web:
                    image: %s
                    depends_on:
                      x-foo: {condition: service_started}
                """.formatted(IMAGE, IMAGE), Map.of());

        assertThat(project.vms()).containsOnlyKeys("x-foo", "web");
        assertThat(project.networks()).containsOnlyKeys("x-net");
        assertThat(project.vm("web").dependsOn()).containsOnlyKeys("x-foo");
    }

    @Test
    void anObsoleteVersionLoadsWithDockersWarning() throws Exception {
        ComposeProject project = load("version: \"1.0\"\nvms:\n  web:\n    image: " + IMAGE + "\n", Map.of());

        assertThat(project.warnings()).containsExactly(dir.resolve("app/qemu-compose.yaml")
                + ": the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential"
                + " confusion");
        assertThat(load("vms:\n  web:\n    image: " + IMAGE + "\n", Map.of()).warnings()).isEmpty();
    }

    @Test
    void theProjectNameIsAVariable() throws Exception {
        String yaml = """
                name: demo
                vms:
                  web:
                    image: %s
                    environment:
                      A: ${COMPOSE_PROJECT_NAME}-a
                      B: ${QEMU_COMPOSE_PROJECT_NAME}-b
                """.formatted(IMAGE);

        assertThat(load(yaml, Map.of()).vm("web").environment()).containsEntry("A", "demo-a")
                .containsEntry("B", "demo-b");
        ComposeProject fromEnvironment = load(yaml, Map.of("QEMU_COMPOSE_PROJECT_NAME", "other"));
        assertThat(fromEnvironment.name()).isEqualTo("other");
        assertThat(fromEnvironment.vm("web").environment()).containsEntry("A", "other-a");
    }

    @Test
    void configKeepsExtensionsHasNoAnchorsAndQuotesWhatYaml11WouldMisread() throws Exception {
        ComposeProject project = load("""
                x-common: &common {owner: me, tags: [a, b], count: 3, on: yes}
                vms:
                  web:
                    image: %s
                    x-meta: *common
                    environment: {FLAG: "yes", MODE: "0755", SWITCH: "on", N: "n", DATE: "2024-01-02", PLAIN: hello}
                  db:
                    image: %s
                    x-meta: *common
                """.formatted(IMAGE, IMAGE), Map.of());

        String yaml = ComposeRenderer.toYaml(project);

        assertThat(yaml).doesNotContain("&").doesNotContain("*common")
                .contains("restart: \"no\"").contains("FLAG: \"yes\"").contains("MODE: \"0755\"")
                .contains("SWITCH: \"on\"").contains("\"N\": \"n\"").contains("DATE: \"2024-01-02\"")
                .contains("PLAIN: hello").contains("cpu: 2").contains("\"on\": \"yes\"");
        assertThat(yaml).contains("x-common:").contains("x-meta:").contains("owner: me");
        assertThat(ComposeRenderer.toJson(project)).contains("\"x-common\"").contains("\"x-meta\"");

        Path again = dir.resolve("again.yaml");
        Files.writeString(again, yaml);
        ComposeProject reloaded = new ComposeLoader(Map.of()).load(ComposeSource.of(again), Optional.of(project.name()));
        assertThat(reloaded.vms()).isEqualTo(project.vms());
        assertThat(reloaded.extensions()).isEqualTo(project.extensions());
        assertThat(reloaded.extensions().of("web")).containsEntry("x-meta",
                Map.of("owner", "me", "tags", List.of("a", "b"), "count", 3L, "on", "yes"));
    }
}
