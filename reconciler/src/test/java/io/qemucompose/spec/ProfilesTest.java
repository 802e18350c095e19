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

/** {@code profiles:} as docker compose reads them (compose-go's loader and project tests). */
class ProfilesTest {
    private static final String IMAGE = "https://example.org/debian.qcow2";
    private static final String FILE = """
            vms:
              web:
                image: %1$s
              debug:
                image: %1$s
                profiles: [debug, tools]
              mail:
                image: %1$s
                profiles: [mail]
            """.formatted(IMAGE);
    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Path file = dir.resolve("app/qemu-compose.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
        return file;
    }

    private ComposeProject load(String yaml, Map<String, String> env, List<String> flags, List<String> named)
            throws Exception {
        return new ComposeLoader(env).load(ComposeSource.of(write(yaml)), Optional.empty(),
                ProfileRequest.of(flags, named));
    }

    @Test
    void vmsWithProfilesAreLeftOutUnlessOneIsEnabled() throws Exception {
        ComposeProject project = load(FILE, Map.of(), List.of(), List.of());

        assertThat(project.vms()).containsOnlyKeys("web");
        assertThat(project.inactiveVms()).containsExactly("debug", "mail");
        assertThat(load(FILE, Map.of(), List.of("tools"), List.of()).vms()).containsOnlyKeys("web", "debug");
        assertThat(load(FILE, Map.of(), List.of("tools", "mail"), List.of()).vms())
                .containsOnlyKeys("web", "debug", "mail");
        assertThat(load(FILE, Map.of(), List.of("*"), List.of()).vms()).containsOnlyKeys("web", "debug", "mail");
    }

    @Test
    void theVariableEnablesProfilesWhenNoFlagIsGiven() throws Exception {
        Map<String, String> env = Map.of(ProfileRequest.VARIABLE, "mail, debug");

        assertThat(load(FILE, env, List.of(), List.of()).vms()).containsOnlyKeys("web", "debug", "mail");
        assertThat(load(FILE, env, List.of("tools"), List.of()).vms()).containsOnlyKeys("web", "debug");
    }

    @Test
    void theVariableMayComeFromDotEnv() throws Exception {
        write(FILE);
        Files.writeString(dir.resolve("app/.env"), "QEMU_COMPOSE_PROFILES=mail\n");

        ComposeProject project = new ComposeLoader(Map.of()).load(ComposeSource.of(dir.resolve("app/qemu-compose.yaml")),
                Optional.empty(), ProfileRequest.NONE);

        assertThat(project.vms()).containsOnlyKeys("web", "mail");
    }

    @Test
    void aVmNamedOnTheCommandLineIsEnabledWhateverItsProfiles() throws Exception {
        assertThat(load(FILE, Map.of(), List.of(), List.of("mail")).vms()).containsOnlyKeys("web", "mail");
    }

    @Test
    void dependingOnAnInactiveVmIsAnErrorAtTheDependency() throws Exception {
        String yaml = """
                vms:
                  web:
                    image: %1$s
                    depends_on: [db]
                  db:
                    image: %1$s
                    profiles: [backend]
                """.formatted(IMAGE);

        assertThatThrownBy(() -> load(yaml, Map.of(), List.of(), List.of()))
                .isInstanceOf(ComposeFileException.class)
                .hasMessageContaining("qemu-compose.yaml:4:18: vms.web.depends_on.db: VM 'web' depends on 'db', "
                        + "which is not enabled: its profiles are backend; enable one with --profile backend");
        assertThat(load(yaml, Map.of(), List.of("backend"), List.of()).vms()).containsOnlyKeys("web", "db");
    }

    @Test
    void anInactiveVmMayDependOnAnotherInactiveOne() throws Exception {
        String yaml = """
                vms:
                  web:
                    image: %1$s
                  tool:
                    image: %1$s
                    profiles: [tools]
                    depends_on: [db]
                  db:
                    image: %1$s
                    profiles: [backend]
                """.formatted(IMAGE);

        assertThat(load(yaml, Map.of(), List.of(), List.of()).vms()).containsOnlyKeys("web");
    }

    @Test
    void aBadProfileNameIsRefusedWithItsPosition() throws Exception {
        String yaml = "vms:\n  web:\n    image: " + IMAGE + "\n    profiles: [ok, -bad]\n";

        assertThatThrownBy(() -> load(yaml, Map.of(), List.of(), List.of()))
                .hasMessageContaining("qemu-compose.yaml:4:20: vms.web.profiles[1]: found '-bad', expected a profile name");
    }
}
