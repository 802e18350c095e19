package io.qemucompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A VM that {@code run} started is found by its name from a folder without a compose file. */
class RunProjectsTest {

    @TempDir
    Path home;

    private Map<String, String> env() {
        return Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), "HOME", home.toString(),
                "XDG_DATA_HOME", home.resolve("data").toString());
    }

    @Test
    void aNamedVmOfRunIsFoundFromAnyFolderAndOtherNamesStillNeedAComposeFile() throws Exception {
        Path project = Files.createDirectories(home.resolve("data/qemu-compose/run/qvm1"));
        Files.writeString(project.resolve("qemu-compose.yaml"),
                "name: run-qvm1\nvms:\n  qvm1:\n    image: ./bsd.qcow2\n    os: freebsd\n");
        Path anywhere = Files.createDirectories(home.resolve("anywhere"));

        assertThat(RunProjects.composeFile(env(), "qvm1")).contains(project.resolve("qemu-compose.yaml"));
        assertThat(RunProjects.isRunProject(env(), project)).isTrue();
        assertThat(RunProjects.isRunProject(env(), anywhere)).isFalse();
        assertThat(RunProjects.composeFile(env(), "../run")).isEmpty();

        // the project was found: what is missing now is the VM's SSH port, not a compose file
        CliRun found = CliRun.run(anywhere, env(), "ssh-config", "qvm1");
        assertThat(found.err()).doesNotContain("no qemu-compose.yaml").contains("qvm1");

        CliRun other = CliRun.run(anywhere, env(), "ssh-config", "web");
        assertThat(other.exitCode()).isNotZero();
        assertThat(other.err()).contains("no qemu-compose.yaml or qemu-compose.yml here");
        // -f names the file to use: no guessing then
        CliRun named = CliRun.run(anywhere, env(), "-f", "missing.yaml", "ssh-config", "qvm1");
        assertThat(named.err()).contains("compose file not found");
    }

    @Test
    void psLoadsTheNamedVmsAndStillRefusesANameThatIsNoVm() throws Exception {
        Path project = Files.createDirectories(home.resolve("proj"));
        Files.writeString(project.resolve("qemu-compose.yaml"), "vms:\n  web:\n    image: ./base.qcow2\n");
        CliRun run = CliRun.run(project, env(), "ps", "--no-probe", "nosuch");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no VM named 'nosuch'");
    }
}
