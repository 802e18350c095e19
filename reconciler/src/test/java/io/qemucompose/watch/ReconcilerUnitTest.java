package io.qemucompose.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.systemd.TransientUnit;
import io.qemucompose.state.ProjectLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReconcilerUnitTest {

    @TempDir
    Path project;

    @Test
    void theDaemonGetsOnlyTheAllowListedEnvironmentAndWhatTheComposeFileInterpolates() throws Exception {
        Path compose = Files.writeString(project.resolve("qemu-compose.yaml"),
                "vms:\n  web:\n    image: ${IMAGE_URL:-https://x/y.qcow2}\n    memory: $WEB_MEMORY\n    user: $$HOME_LITERAL\n");
        Map<String, String> env = Map.ofEntries(
                Map.entry("PATH", "/usr/bin"), Map.entry("HOME", "/home/u"), Map.entry("LANG", "C.UTF-8"),
                Map.entry("LC_ALL", "C.UTF-8"), Map.entry("XDG_RUNTIME_DIR", "/run/user/1000"),
                Map.entry("DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus"),
                Map.entry("QEMU_COMPOSE_ACCEL", "tcg"), Map.entry("IMAGE_URL", "https://example.org/d.qcow2"),
                Map.entry("WEB_MEMORY", "2G"), Map.entry("HOME_LITERAL", "no"),
                Map.entry("GITHUB_TOKEN", "ghp_secret"), Map.entry("AWS_SECRET_ACCESS_KEY", "secret"),
                Map.entry("SSH_AUTH_SOCK", "/tmp/agent.sock"), Map.entry("DBUS_OTHER", "x"));

        TransientUnit unit = ReconcilerUnit.of("demo", new ProjectLayout(project), List.of("/usr/bin/java"), List.of(), env,
                List.of(compose));

        assertThat(unit.environment()).containsOnlyKeys("PATH", "HOME", "LANG", "LC_ALL", "XDG_RUNTIME_DIR",
                "DBUS_SESSION_BUS_ADDRESS", "QEMU_COMPOSE_ACCEL", "IMAGE_URL", "WEB_MEMORY", "MALLOC_ARENA_MAX");
        assertThat(unit.environment()).containsEntry("MALLOC_ARENA_MAX", "2");
    }

    @Test
    void aFailedDaemonIsRestartedAfterAPause() {
        TransientUnit unit = ReconcilerUnit.of("demo", new ProjectLayout(project), List.of("/usr/bin/java"), List.of(), Map.of(),
                List.of());

        assertThat(unit.extraProperties()).anySatisfy(p -> {
            assertThat(p.name()).isEqualTo("Restart");
            assertThat(p.value()).isEqualTo("on-failure");
        }).anySatisfy(p -> {
            assertThat(p.name()).isEqualTo("RestartUSec");
            assertThat(p.value().toString()).isEqualTo("10000000");
        });
    }

    @Test
    void theDaemonsJvmOptionsAreTheBuiltInOnesUnlessTheBenchmarkReplacesThem() {
        Map<String, String> env = Map.of(ReconcilerUnit.CLASSPATH_ENV, "/opt/qc/a.jar");

        assertThat(ReconcilerUnit.javaCommand(env)).containsSubsequence("-XX:+UseSerialGC", "-Xmn3m", "-cp", "/opt/qc/a.jar");
        assertThat(ReconcilerUnit.javaCommand(Map.of(ReconcilerUnit.CLASSPATH_ENV, "/opt/qc/a.jar",
                ReconcilerUnit.JVM_OPTIONS_ENV, " -Xmx64m  -XX:+UseSerialGC ")).subList(1, 5))
                .containsExactly("-Xmx64m", "-XX:+UseSerialGC", "-cp", "/opt/qc/a.jar");
    }
}
