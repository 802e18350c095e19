package io.qemucompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --profile} and QEMU_COMPOSE_PROFILES, seen through {@code config} as a user would. */
class ProfileOptionTest {
    @TempDir
    Path project;

    @BeforeEach
    void writeProject() throws IOException {
        Files.writeString(project.resolve("qemu-compose.yaml"), """
                name: shop
                vms:
                  web:
                    image: https://example.org/debian-12.qcow2
                  debug:
                    image: https://example.org/debian-12.qcow2
                    profiles: [debug]
                  mail:
                    image: https://example.org/debian-12.qcow2
                    profiles: [mail]
                """);
    }

    @Test
    void configShowsOnlyActiveVms() {
        assertThat(CliRun.run(project, "config", "--vms").out()).isEqualTo("web\n");
        assertThat(CliRun.run(project, "--profile", "debug", "config", "--vms").out()).isEqualTo("web\ndebug\n");
        assertThat(CliRun.run(project, "config", "--vms", "--profile", "debug", "--profile", "mail").out())
                .isEqualTo("web\ndebug\nmail\n");
    }

    @Test
    void theVariableIsUsedWhenNoFlagIsGiven() {
        Map<String, String> env = Map.of("QEMU_COMPOSE_PROFILES", "mail,debug");

        assertThat(CliRun.run(project, env, "config", "--vms").out()).isEqualTo("web\ndebug\nmail\n");
        assertThat(CliRun.run(project, env, "--profile", "mail", "config", "--vms").out()).isEqualTo("web\nmail\n");
    }

    @Test
    void aVmNamedOnTheCommandLineIsShownWhateverItsProfiles() {
        CliRun run = CliRun.run(project, "config", "--vms", "mail");

        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo("mail\n");
    }

    @Test
    void configPrintsTheProfilesOfAnActiveVm() {
        assertThat(CliRun.run(project, "--profile", "debug", "config").out()).contains("    profiles:\n      - debug\n");
    }
}
