package io.qemucompose.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher reconciles the VMs `up` would: those of the enabled profiles. */
class WatchProfilesTest {
    @TempDir
    Path dir;

    private WatchOptions options(Map<String, String> env) throws Exception {
        Files.writeString(dir.resolve("qemu-compose.yaml"), """
                vms:
                  web: {image: https://example.org/debian-12.qcow2}
                  debug: {image: https://example.org/debian-12.qcow2, profiles: [debug]}
                """);
        return WatchOptions.of(List.of(), dir, Optional.of("app"), env, false, Duration.ofSeconds(30), "foreground");
    }

    @Test
    void profileFlagsEnableTheirVms() throws Exception {
        assertThat(WatchLoop.load(options(Map.of())).vms()).containsOnlyKeys("web");
        assertThat(WatchLoop.load(options(Map.of()).withProfiles(List.of("debug"))).vms())
                .containsOnlyKeys("web", "debug");
    }

    @Test
    void theVariableEnablesThemWithoutFlags() throws Exception {
        assertThat(WatchLoop.load(options(Map.of("QEMU_COMPOSE_PROFILES", "debug"))).vms())
                .containsOnlyKeys("web", "debug");
    }
}
