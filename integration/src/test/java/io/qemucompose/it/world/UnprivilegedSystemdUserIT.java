package io.qemucompose.it.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.testkit.CommandResult;
import io.qemucompose.testkit.PrivateSystemdUser;
import io.qemucompose.testkit.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fixture for tests as a normal user: a systemd user manager run by a new unprivileged user,
 * with its own runtime dir and bus and a delegated cgroup (both trees on this hybrid host); units
 * it starts run with that user's uid; closing it leaves no user, process, cgroup or folder.
 */
class UnprivilegedSystemdUserIT {

    @Test
    void aNewUsersManagerRunsTransientUnitsAsThatUserAndLeavesNothingBehind() throws Exception {
        var systemd = PrivateSystemdUser.forNewUser();
        List<Path> cgroups;
        Path runtimeDir;
        TestUser user;
        long managerPid;
        try (systemd) {
            systemd.start();
            user = systemd.user();
            cgroups = systemd.cgroupDirs();
            runtimeDir = systemd.runtimeDir();
            managerPid = systemd.managerPid();
            assertThat(user.uid()).isGreaterThanOrEqualTo(1001);
            assertThat(uidOf(managerPid)).isEqualTo(user.uid());
            assertThat(Files.getAttribute(runtimeDir, "unix:uid")).isEqualTo(user.uid());
            assertThat(Files.getPosixFilePermissions(runtimeDir)).hasSize(3); // rwx------
            assertThat(cgroups).isNotEmpty().allSatisfy(dir -> assertThat(Files.getAttribute(dir, "unix:uid"))
                    .isEqualTo(user.uid()));

            // StartTransientUnit over the user's bus, by a client running as the user (systemd-run),
            // as the product's CLI does: a session bus admits its owner only
            String unit = "qct-as-user.service";
            CommandResult started = systemd.runAsUser(List.of("systemd-run", "--user", "--unit=" + unit,
                    "/bin/sleep", "300"), Duration.ofSeconds(60), null);
            assertThat(started.exitCode()).as(started.toString()).isZero();
            long pid = Long.parseLong(systemd.runAsUser(List.of("systemctl", "--user", "show", "-p", "MainPID",
                    "--value", unit), Duration.ofSeconds(60), null).orThrow().stdout().strip());
            assertThat(pid).isPositive();
            assertThat(uidOf(pid)).isEqualTo(user.uid());
            assertThat(Files.readString(Path.of("/proc/" + pid + "/cgroup")))
                    .contains("name=systemd:/" + cgroups.getFirst().getFileName() + "/")
                    .contains("0::/" + cgroups.getFirst().getFileName() + "/");

            // a command as the user sees its own home and uid, in a unit that reports back
            CommandResult r = systemd.runAsUser(List.of("systemd-run", "--user", "--wait", "--pipe", "--quiet",
                    "sh", "-c", "id -u; echo $HOME"), Duration.ofSeconds(60), null);
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.stdout().lines().toList()).containsExactly(Integer.toString(user.uid()),
                    user.home().toString());
        }

        assertThat(user.exists()).isFalse();
        assertThat(user.pids()).isEmpty();
        assertThat(ProcessHandle.of(managerPid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(cgroups).allSatisfy(dir -> assertThat(dir).doesNotExist());
        assertThat(runtimeDir).doesNotExist();
        assertThat(user.home()).doesNotExist();
    }

    private static int uidOf(long pid) throws Exception {
        String uidLine = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
        return Integer.parseInt(uidLine.substring(4).strip().split("\\s+")[0]);
    }
}
