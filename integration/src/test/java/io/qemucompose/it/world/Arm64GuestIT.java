package io.qemucompose.it.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.testkit.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real arm64 guest on this x86-64 host: Debian 12 arm64 under TCG ({@code qemu-system-aarch64
 * -M virt -cpu cortex-a57}, UEFI from qemu-efi-aarch64), provisioned by the product's NoCloud seed
 * and reached with the product's SSH client. One boot, every capability the arm64 profile relies on.
 */
class Arm64GuestIT {

    /**
     * Measured 4.7 min to ready on two cores shared with other builds, 8 min under a load of 15
     * (docs/os-profiles-arm64.md); a busy machine gets room, not a flaky test.
     */
    private static final Duration BOOT_DEADLINE = Duration.ofMinutes(15);

    @Test
    void arm64GuestBootsFromUefiTakesTheSeedAnswersSshAndPowersOff(@TempDir Path dir) throws Exception {
        try (Arm64Guest guest = Arm64Guest.boot(dir, "arm-vm", "4G")) {
            Arm64Guest.BootTimes times = guest.awaitReady(BOOT_DEADLINE);
            System.out.printf("arm64 guest (TCG, cortex-a57): boot to SSH %.1f s, to cloud-init done %.1f s%n",
                    times.toSsh(), times.toReady());
            // where the boot time goes, for whoever tunes the image next
            System.out.println(guest.exec("systemd-analyze; systemd-analyze blame | head -n 12").stdout());

            assertThat(guest.run("uname -m").strip()).isEqualTo("aarch64");
            assertThat(guest.run("test -d /sys/firmware/efi && echo uefi").strip()).as("booted by UEFI").isEqualTo("uefi");
            assertThat(guest.run("id -un").strip()).isEqualTo(Arm64Guest.USER);
            assertThat(guest.run("hostname").strip()).isEqualTo("arm-vm");
            assertThat(guest.run("sudo -n id -u").strip()).isEqualTo("0");
            // the overlay is 4 GiB, the image's GPT disk 2 GiB: cloud-init grew the root partition
            long rootBytes = Long.parseLong(guest.run("df -B1 --output=size / | tail -n 1").strip());
            assertThat(rootBytes).as("root filesystem grown to the disk").isGreaterThan(3L << 30);

            Path console = guest.files().serialLog();
            Commands.awaitCondition("a login prompt on the serial console (" + console + ")", Duration.ofSeconds(60),
                    Duration.ofSeconds(1), () -> read(console).contains("ttyAMA0"));

            try (var qmp = UnixJsonChannel.open(guest.files().qmpSocket())) {
                qmp.awaitReceived("\"QMP\"", Duration.ofSeconds(10));
                qmp.send("{\"execute\":\"qmp_capabilities\"}");
                qmp.send("{\"execute\":\"query-target\"}");
                assertThat(qmp.awaitReceived("\"arch\"", Duration.ofSeconds(10))).contains("\"aarch64\"");
            }
            try (var agent = UnixJsonChannel.open(guest.files().agentSocket())) {
                // no greeting: resynchronise first, then ping
                agent.send("{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":424242}}");
                agent.awaitReceived("424242", Duration.ofSeconds(60));
                agent.send("{\"execute\":\"guest-ping\"}");
                assertThat(agent.awaitReceived("\"return\": {}", Duration.ofSeconds(30))).contains("\"return\": {}");
            }

            long shutdownStart = System.nanoTime();
            guest.exec("sudo -n systemctl poweroff"); // the connection may drop before it answers
            assertThat(guest.qemu().waitFor(180, TimeUnit.SECONDS)).as("QEMU exits after poweroff (PSCI)").isTrue();
            assertThat(guest.qemu().exitValue()).isZero();
            System.out.printf("arm64 guest: poweroff to QEMU exit %.1f s%n", (System.nanoTime() - shutdownStart) / 1e9);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
