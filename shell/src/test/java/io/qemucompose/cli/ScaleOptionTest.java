package io.qemucompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.spec.Replica;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.ProjectState;
import io.qemucompose.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --scale} and the instances that exist beyond the file, seen through commands that need no VM. */
class ScaleOptionTest {
    @TempDir
    Path project;

    @BeforeEach
    void writeProject() throws IOException {
        Files.writeString(project.resolve("qemu-compose.yaml"), """
                name: shop
                vms:
                  web:
                    image: https://example.org/debian-12.qcow2
                    deploy: {replicas: 2}
                  db:
                    image: https://example.org/debian-12.qcow2
                  worker:
                    image: https://example.org/debian-12.qcow2
                    profiles: [extra]
                """);
    }

    @Test
    void configNamesEachVmOnceAndShowsItsCount() {
        assertThat(CliRun.run(project, "config", "--vms").out()).isEqualTo("web\ndb\n");
        assertThat(CliRun.run(project, "config", "web").out()).contains("deploy:\n      replicas: 2");
    }

    @Test
    void aBadScaleIsAUsageErrorOrNamesTheVm() {
        CliRun notANumber = CliRun.run(project, "plan", "--scale", "web=many");
        assertThat(notANumber.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(notANumber.err()).contains("--scale");

        CliRun unknown = CliRun.run(project, "plan", "--scale", "wbe=3");
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(unknown.err()).contains("--scale: no VM named 'wbe' in the file (did you mean 'web'?)");
    }

    @Test
    void instancesBeyondTheFileAreSeenByCommandsOtherThanUp() throws IOException {
        // as `up --scale web=3` leaves it: web-3 recorded as an instance of web, with its SSH port
        new StateStore(new ProjectLayout(project)).update(s -> s.withVm("web-3", new ProjectState.VmRecord(2299,
                null, null, null, null, Instant.EPOCH, Map.of(Replica.FIELD, "web"))));
        Path key = project.resolve(".qemu-compose/ssh/id_ed25519");
        Files.createDirectories(key.getParent());
        Files.writeString(key, "not read by ssh-config");

        CliRun sshConfig = CliRun.run(project, "ssh-config", "web-3");

        assertThat(sshConfig.err()).doesNotContain("no VM named");
        assertThat(sshConfig.out()).contains("Host web-3").contains("Port 2299");
        assertThat(CliRun.run(project, "config", "--vms").out()).isEqualTo("web\ndb\n");
    }

    @Test
    void anInstanceOfAProfileGatedVmNamedOnTheCommandLineEnablesItsVm() throws IOException {
        new StateStore(new ProjectLayout(project)).update(s -> s.withVm("worker-2", new ProjectState.VmRecord(2298,
                null, null, null, null, Instant.EPOCH, Map.of(Replica.FIELD, "worker"))));
        Path key = project.resolve(".qemu-compose/ssh/id_ed25519");
        Files.createDirectories(key.getParent());
        Files.writeString(key, "not read by ssh-config");

        CliRun sshConfig = CliRun.run(project, "ssh-config", "worker-2");

        assertThat(sshConfig.err()).isEmpty();
        assertThat(sshConfig.out()).contains("Host worker-2").contains("Port 2298");
    }
}
