package io.qemucompose.it.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.it.ops.Cli;
import io.qemucompose.testkit.GuestImage;
import io.qemucompose.testkit.PrivateSystemdUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real arm64 guest on this x86-64 host, through the product: a compose file with
 * {@code platform: linux/arm64} and the Debian 12 arm64 test image ({@code scripts/build-guest-image-arm64}),
 * so the {@code linux-arm64} device profile's own command line (virt, cortex-a57 under TCG, AAVMF
 * code as read-only pflash and the VM's own variable store) is what boots. {@code up} waits for
 * ready (SSH with the project key and cloud-init done); then {@code ssh}, {@code ps}, {@code stop}
 * and {@code destroy}. One boot: it costs minutes under TCG.
 */
class Arm64GuestIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Seconds {@code up} may wait for ready: measured 4.7 min at a load of 4-7 on two cores, 8 and
     * 14.5 min under loads of 15-18 from other builds (docs/os-profiles-arm64.md); a busy machine
     * gets room, not a flaky test. A deadline, not a wait: a quiet CI machine is done in minutes.
     */
    private static final String READY_DEADLINE_SECONDS = "1800";

    @RegisterExtension
    static PrivateSystemdUser systemd = new PrivateSystemdUser();

    @Test
    void arm64ProfileBootsTheDebianImageUnderTcgAndEveryVerbReachesIt() throws Exception {
        // waits on the build script's lock while scripts/test builds the image in the background
        Path image = GuestImage.arm64Path();
        Path home = Files.createTempDirectory("qc-arm64-it");
        Path projectDir = Files.createDirectories(home.resolve("arm"));
        Cli cli = new Cli(projectDir, Cli.environment(systemd.environment(), home));
        try {
            Files.writeString(projectDir.resolve("qemu-compose.yaml"), """
                    vms:
                      arm:
                        image: %s
                        platform: linux/arm64
                        cpu: 2
                        memory: 1024
                        disk:
                          size: 4G
                    """.formatted(image));

            long started = System.nanoTime();
            Cli.Run up = cli.run("up", "--wait-timeout", READY_DEADLINE_SECONDS);
            double upSeconds = (System.nanoTime() - started) / 1e9;
            assertThat(up.exitCode()).as(up.toString()).isZero();
            System.out.printf("arm64 guest through the product (linux-arm64, TCG): up to ready in %.1f s (load %s)%n",
                    upSeconds, Files.readString(Path.of("/proc/loadavg")).strip());

            Path vmDir = projectDir.resolve(".qemu-compose/arm");
            assertThat(vmDir.resolve("efi-vars.fd")).as("the VM's own UEFI variable store").isRegularFile();
            String unitLog = Files.readString(vmDir.resolve("unit.log"));
            assertThat(Files.readString(Path.of("/proc/" + qemuPid(vmDir) + "/cmdline")).replace('\0', ' '))
                    .as(unitLog)
                    .contains("qemu-system-aarch64", "-machine virt", "-cpu cortex-a57",
                            "if=pflash,format=raw,unit=0,file=/usr/share/AAVMF/AAVMF_CODE.fd,readonly=on",
                            "if=pflash,format=raw,unit=1,file=" + vmDir.resolve("efi-vars.fd"));

            assertThat(ssh(cli, "test \"$(uname -m)\" = aarch64").exitCode()).as("uname -m says aarch64").isZero();
            assertThat(ssh(cli, "test -d /sys/firmware/efi").exitCode()).as("booted by UEFI").isZero();
            assertThat(ssh(cli, "test \"$(hostname)\" = arm && sudo -n true").exitCode()).isZero();
            assertThat(psStatus(cli)).isEqualTo("ready");

            long stopStart = System.nanoTime();
            Cli.Run stop = cli.run("stop", "arm");
            assertThat(stop.exitCode()).as(stop.toString()).isZero();
            System.out.printf("arm64 guest: stop took %.1f s%n", (System.nanoTime() - stopStart) / 1e9);
            assertThat(psStatus(cli)).isEqualTo("stopped");

            Cli.Run destroy = cli.run("destroy");
            assertThat(destroy.exitCode()).as(destroy.toString()).isZero();
            assertThat(psStatus(cli)).isEqualTo("not-created");
            assertThat(vmDir).doesNotExist();
        } finally {
            cli.run("destroy");
            deleteTree(home);
        }
    }

    private static Cli.Run ssh(Cli cli, String command) {
        return cli.run("ssh", "-n", "-T", "arm", "--", "sh", "-c", command);
    }

    private static String psStatus(Cli cli) throws Exception {
        Cli.Run ps = cli.run("ps", "--format", "json", "--probe-timeout", "60", "arm");
        assertThat(ps.exitCode()).as(ps.toString()).isZero();
        return JSON.readTree(ps.out()).get(0).path("status").asString();
    }

    private static String qemuPid(Path vmDir) throws IOException {
        return Files.readString(vmDir.resolve("qemu.pid")).strip();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
