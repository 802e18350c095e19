package io.qemucompose.it.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.kvm.Accelerator;
import io.qemucompose.driver.kvm.KvmProbe;
import io.qemucompose.testkit.CommandResult;
import io.qemucompose.testkit.Commands;
import io.qemucompose.testkit.FreePorts;
import io.qemucompose.testkit.GuestImage;
import io.qemucompose.testkit.SeedIso;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest image works, proven with a plain QEMU command line and a hand-written NoCloud seed
 * (no product code but the accelerator choice): one boot, every capability later tests rely on.
 */
class GuestSmokeIT {

    private static final Duration BOOT_DEADLINE = Duration.ofSeconds(300);
    private static final String USER = "tester";

    @Test
    void imageBootsWithSeedAndOffersSshSudoSharesDiskHostnameAgentAndCleanPowerOff(@TempDir Path dir) throws Exception {
        Path image = GuestImage.overlay(dir);
        Path key = dir.resolve("id_ed25519");
        Commands.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "smoke", "-f", key.toString())).orThrow();
        String publicKey = Files.readString(dir.resolve("id_ed25519.pub")).strip();

        Path share = Files.createDirectory(dir.resolve("share"));
        // QEMU (root, security_model=none) serves the share; the guest user must be able to write into it.
        Files.setPosixFilePermissions(share, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.writeString(share.resolve("from-host.txt"), "hello guest\n");

        Path dataDisk = dir.resolve("data.img");
        Commands.run(List.of("truncate", "-s", "64M", dataDisk.toString())).orThrow();
        Commands.run(List.of("mkfs.ext4", "-q", "-F", "-L", "data", dataDisk.toString())).orThrow();

        String instance = "smoke-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Path seed = SeedIso.write(dir.resolve("seed.iso"),
                "instance-id: " + instance + "\nlocal-hostname: smoke-vm\n",
                """
                #cloud-config
                users:
                  - name: %s
                    shell: /bin/bash
                    lock_passwd: true
                    sudo: ALL=(ALL) NOPASSWD:ALL
                    ssh_authorized_keys:
                      - %s
                ssh_pwauth: false
                mounts:
                  - [share0, /mnt/share, 9p, "trans=virtio,version=9p2000.L,msize=262144,rw,nofail", "0", "0"]
                  - [/dev/vdb, /mnt/data, ext4, "defaults,nofail", "0", "2"]
                """.formatted(USER, publicKey));

        Accelerator accel = KvmProbe.defaults().choose();
        try (var sshPort = FreePorts.lease()) {
            var command = new ArrayList<String>(List.of("qemu-system-x86_64", "-name", instance));
            command.addAll(accel.qemuArgs());
            command.addAll(List.of(
                    "-machine", "pc", "-cpu", accel.cpuModel(), "-smp", "2", "-m", "1024",
                    "-nodefaults", "-no-user-config", "-display", "none",
                    "-drive", "file=" + image + ",if=virtio,format=qcow2",
                    "-drive", "file=" + dataDisk + ",if=virtio,format=raw",
                    "-drive", "file=" + seed + ",media=cdrom,readonly=on",
                    "-netdev", "user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:" + sshPort.port() + "-:22",
                    "-device", "virtio-net-pci,netdev=net0",
                    "-virtfs", "local,path=" + share + ",mount_tag=share0,security_model=none,id=share0",
                    "-chardev", "socket,id=serial0,path=" + dir.resolve("serial.sock") + ",server=on,wait=off,logfile="
                            + dir.resolve("serial.log"),
                    "-serial", "chardev:serial0",
                    "-qmp", "unix:" + dir.resolve("qmp.sock") + ",server=on,wait=off",
                    "-chardev", "socket,id=qga0,path=" + dir.resolve("qga.sock") + ",server=on,wait=off",
                    "-device", "virtio-serial-pci",
                    "-device", "virtserialport,chardev=qga0,name=org.qemu.guest_agent.0"));
            long bootStart = System.nanoTime();
            Process qemu = Commands.startOwned(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("qemu.log").toFile()));
            try {
                var ssh = new Ssh(key, sshPort.port());
                Commands.awaitCondition("SSH into the guest (serial log: " + dir.resolve("serial.log") + ")",
                        BOOT_DEADLINE, Duration.ofSeconds(2), () -> {
                            if (!qemu.isAlive()) {
                                throw new IllegalStateException("QEMU exited " + qemu.exitValue() + ": " + read(dir.resolve("qemu.log")));
                            }
                            return ssh.run("true").succeeded();
                        });
                double bootToSsh = (System.nanoTime() - bootStart) / 1e9;
                ssh.run("cloud-init status --wait").orThrow();
                double bootToReady = (System.nanoTime() - bootStart) / 1e9;
                System.out.printf("guest smoke (%s): boot to SSH %.1f s, to cloud-init done %.1f s%n", accel, bootToSsh, bootToReady);
                // where the boot time goes, for whoever tunes the image next
                System.out.println(ssh.run("systemd-analyze; systemd-analyze blame | head -n 12; uptime").stdout());

                assertThat(ssh.run("sudo -n id -u").orThrow().stdout().strip()).isEqualTo("0");
                assertThat(ssh.run("hostname").orThrow().stdout().strip()).isEqualTo("smoke-vm");

                assertThat(ssh.run("findmnt -n -o FSTYPE,OPTIONS /mnt/share").orThrow().stdout()).startsWith("9p").contains("rw");
                assertThat(ssh.run("cat /mnt/share/from-host.txt").orThrow().stdout()).isEqualTo("hello guest\n");
                ssh.run("echo hello host > /mnt/share/from-guest.txt").orThrow();
                assertThat(share.resolve("from-guest.txt")).hasContent("hello host");

                assertThat(ssh.run("findmnt -n -o FSTYPE,SOURCE /mnt/data").orThrow().stdout()).contains("ext4", "/dev/vdb");
                ssh.run("sudo -n sh -c 'echo persisted > /mnt/data/file && sync'").orThrow();
                assertThat(ssh.run("cat /mnt/data/file").orThrow().stdout()).isEqualTo("persisted\n");

                try (var qmp = UnixJsonChannel.open(dir.resolve("qmp.sock"))) {
                    qmp.awaitReceived("\"QMP\"", Duration.ofSeconds(10));
                    qmp.send("{\"execute\":\"qmp_capabilities\"}");
                    qmp.send("{\"execute\":\"query-status\"}");
                    assertThat(qmp.awaitReceived("\"status\"", Duration.ofSeconds(10))).contains("\"running\"");
                }
                try (var agent = UnixJsonChannel.open(dir.resolve("qga.sock"))) {
                    // no greeting: resynchronise first, then ping
                    agent.send("{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":424242}}");
                    agent.awaitReceived("424242", Duration.ofSeconds(60));
                    agent.send("{\"execute\":\"guest-ping\"}");
                    assertThat(agent.awaitReceived("\"return\": {}", Duration.ofSeconds(30))).contains("\"return\": {}");
                }

                long shutdownStart = System.nanoTime();
                ssh.run("sudo -n systemctl poweroff"); // the connection may drop before it answers
                assertThat(qemu.waitFor(120, TimeUnit.SECONDS)).as("QEMU exits after poweroff").isTrue();
                assertThat(qemu.exitValue()).isZero();
                System.out.printf("guest smoke: poweroff to QEMU exit %.1f s%n", (System.nanoTime() - shutdownStart) / 1e9);
            } finally {
                if (qemu.isAlive()) {
                    qemu.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** The system ssh client with the test's key; host keys are new on every boot, so not checked. */
    private record Ssh(Path key, int port) {
        CommandResult run(String remoteCommand) {
            return Commands.run(List.of("ssh", "-i", key.toString(), "-p", Integer.toString(port),
                    "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                    "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=5", "-o", "IdentitiesOnly=yes",
                    USER + "@127.0.0.1", remoteCommand), Duration.ofSeconds(180), null);
        }
    }
}
