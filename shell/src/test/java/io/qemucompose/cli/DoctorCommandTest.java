package io.qemucompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorCommandTest {

    @TempDir
    Path dir;

    @Test
    void missingQemuOnThePathFailsAndNamesTheDebianPackage() {
        // an empty PATH: doctor still looks in the sbin folders, but qemu lives in /usr/bin
        CliRun run = CliRun.run(dir, Map.of("PATH", dir.toString()), "doctor");
        assertThat(run.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(run.out()).contains("[missing] QEMU: qemu-system-x86_64 not found (Debian package: qemu-system-x86)")
                .contains("Required dependencies are missing.")
                .containsPattern("Install: apt-get install .*qemu-system-x86");
    }

    @Test
    void reportsEveryCheckOnItsOwnLine() {
        CliRun run = CliRun.run(dir, Map.of("PATH", "/usr/bin:/bin"), "doctor");
        assertThat(run.out()).contains("Operating system: Linux", "QEMU:", "qemu-img:", "ISO writer", "ssh:",
                "dnsmasq", "CAP_NET_ADMIN", "9p folder sharing", "KVM:", "systemd user manager");
    }

    @Test
    void withoutAUserBusTheSystemdCheckFailsAndSaysWhy() {
        CliRun run = CliRun.run(dir, Map.of("PATH", "/usr/bin:/bin", "XDG_RUNTIME_DIR", dir.toString()), "doctor");
        assertThat(run.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(run.out()).contains("[missing] systemd user manager (D-Bus): user bus socket " + dir.resolve("bus")
                + " does not exist");
    }
}
