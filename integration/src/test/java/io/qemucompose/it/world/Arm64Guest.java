package io.qemucompose.it.world;

import io.qemucompose.driver.cloudinit.CloudInitConfig;
import io.qemucompose.driver.cloudinit.RenderedSeed;
import io.qemucompose.driver.cloudinit.SeedImage;
import io.qemucompose.driver.cloudinit.SeedRenderer;
import io.qemucompose.driver.ssh.Readiness;
import io.qemucompose.driver.ssh.SshClient;
import io.qemucompose.driver.ssh.SshKeyPair;
import io.qemucompose.testkit.Commands;
import io.qemucompose.testkit.FreePorts;
import io.qemucompose.testkit.GuestImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One Debian arm64 guest ({@code scripts/build-guest-image-arm64}) under TCG on QEMU's
 * {@code virt} machine, booted from UEFI (AAVMF) with the product's NoCloud seed and reached with
 * the product's SSH client. The command line is the one docs/os-profiles-arm64.md records for the
 * arm64 profile; shared by {@link Arm64GuestIT} (one boot) and {@link Arm64BootBenchmark} (several).
 */
final class Arm64Guest implements AutoCloseable {

    /** qemu-efi-aarch64: both files are the 64 MiB that the virt machine's two flash banks need. */
    static final Path FIRMWARE_CODE = Path.of("/usr/share/AAVMF/AAVMF_CODE.fd");
    static final Path FIRMWARE_VARS = Path.of("/usr/share/AAVMF/AAVMF_VARS.fd");
    static final String USER = "tester";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

    /** Where one guest's files live; all in one folder the caller owns. */
    record GuestFiles(Path disk, Path firmwareVars, Path seed, Path serialSocket, Path serialLog, Path qmpSocket,
            Path agentSocket, Path qemuLog) {
        static GuestFiles in(Path dir) {
            return new GuestFiles(dir.resolve("disk.qcow2"), dir.resolve("efi-vars.fd"), dir.resolve("cloud-init.iso"),
                    dir.resolve("console.sock"), dir.resolve("console.log"), dir.resolve("qmp.sock"),
                    dir.resolve("qga.sock"), dir.resolve("qemu.log"));
        }
    }

    /**
     * The command line, pure. Why each choice:
     * cortex-a57 is the spec's CPU for arm64 guests and the cheapest model to emulate ({@code max}
     * adds pointer authentication, which TCG computes in software on every return);
     * the firmware code is read-only and shared, the variable store a private copy (UEFI writes
     * boot entries into it); bootindex=0 makes the firmware boot the disk before it tries the seed
     * or a network boot on the NIC; {@code romfile=} because the NIC's iPXE option ROM is x86 code
     * AAVMF cannot run; the virt machine has no IDE, so the seed is a read-only virtio disk
     * (cloud-init finds it by its {@code cidata} label, whatever the bus).
     */
    static List<String> commandLine(String name, GuestFiles f, int sshPort) {
        return List.of("qemu-system-aarch64", "-name", name,
                "-machine", "virt", "-accel", "tcg", "-cpu", "cortex-a57", "-smp", "2", "-m", "1024",
                "-nodefaults", "-no-user-config", "-display", "none",
                "-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + FIRMWARE_CODE,
                "-drive", "if=pflash,format=raw,unit=1,file=" + f.firmwareVars(),
                "-drive", "if=none,id=disk0,format=qcow2,discard=unmap,file=" + f.disk(),
                "-device", "virtio-blk-pci,drive=disk0,bootindex=0",
                "-drive", "if=none,id=seed0,format=raw,readonly=on,file=" + f.seed(),
                "-device", "virtio-blk-pci,drive=seed0",
                "-netdev", "user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:" + sshPort + "-:22",
                "-device", "virtio-net-pci,netdev=net0,romfile=",
                "-chardev", "socket,id=serial0,path=" + f.serialSocket() + ",server=on,wait=off,logfile=" + f.serialLog(),
                "-serial", "chardev:serial0",
                "-qmp", "unix:" + f.qmpSocket() + ",server=on,wait=off",
                "-chardev", "socket,id=qga0,path=" + f.agentSocket() + ",server=on,wait=off",
                "-device", "virtio-serial-pci",
                "-device", "virtserialport,chardev=qga0,name=org.qemu.guest_agent.0");
    }

    private final GuestFiles files;
    private final FreePorts.PortLease port;
    private final Process qemu;
    private final SshClient ssh;
    private final SshClient.Target target;
    private final long startedNanos;

    private Arm64Guest(GuestFiles files, FreePorts.PortLease port, Process qemu, SshClient ssh, SshClient.Target target,
            long startedNanos) {
        this.files = files;
        this.port = port;
        this.qemu = qemu;
        this.ssh = ssh;
        this.target = target;
        this.startedNanos = startedNanos;
    }

    /** Prepares disk (an overlay grown to {@code diskSize}), firmware variables, key and seed in {@code dir}, then starts QEMU. */
    static Arm64Guest boot(Path dir, String hostname, String diskSize) {
        GuestFiles f = GuestFiles.in(dir);
        GuestImage.overlayOf(GuestImage.arm64Path(), dir, f.disk().getFileName().toString(), diskSize);
        try {
            Files.copy(FIRMWARE_VARS, f.firmwareVars(), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + FIRMWARE_VARS + " (package qemu-efi-aarch64)", e);
        }
        SshKeyPair key = SshKeyPair.ensure(dir.resolve("id_ed25519"));
        RenderedSeed seed = new SeedRenderer().render(CloudInitConfig.of(hostname, USER, List.of(key.publicKeyLine())));
        new SeedImage().write(f.seed(), seed);

        FreePorts.PortLease port = FreePorts.lease();
        try {
            List<String> command = new ArrayList<>(commandLine(hostname, f, port.port()));
            long started = System.nanoTime();
            Process qemu = Commands.startOwned(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(f.qemuLog().toFile()));
            SshClient client = new SshClient(dir.resolve("known_hosts"));
            return new Arm64Guest(f, port, qemu, client, new SshClient.Target("127.0.0.1", port.port(), USER,
                    key.privateKey()), started);
        } catch (RuntimeException e) {
            port.close();
            throw e;
        }
    }

    /** Seconds since QEMU started at which SSH first let the seed's user in, and at which the guest was ready. */
    record BootTimes(double toSsh, double toReady) {
    }

    /**
     * Probes until {@link Readiness#ready()} (SSH login with the seed's key and cloud-init done);
     * fails at once when QEMU exits or cloud-init reports errors, with the console's last lines.
     */
    BootTimes awaitReady(Duration deadline) {
        long end = startedNanos + deadline.toNanos();
        Optional<Double> toSsh = Optional.empty();
        Readiness last = null;
        while (System.nanoTime() - end < 0) {
            if (!qemu.isAlive()) {
                throw new IllegalStateException("QEMU exited with " + qemu.exitValue() + ": " + tail(files.qemuLog())
                        + "\nconsole:\n" + tail(files.serialLog()));
            }
            long probeStart = System.nanoTime();
            last = ssh.probeReady(target, PROBE_TIMEOUT);
            if (toSsh.isEmpty() && (last instanceof Readiness.Provisioning || last instanceof Readiness.Ready)) {
                toSsh = Optional.of(secondsSinceStart());
            }
            if (last.ready()) {
                return new BootTimes(toSsh.orElseThrow(), secondsSinceStart());
            }
            if (last instanceof Readiness.ProvisioningFailed failed) {
                throw new IllegalStateException("cloud-init failed (" + failed.status() + "); console:\n" + tail(files.serialLog()));
            }
            // a refused connection returns at once: do not spin on it
            long spent = System.nanoTime() - probeStart;
            LockSupport.parkNanos(Math.max(0, Duration.ofSeconds(2).toNanos() - spent));
        }
        throw new IllegalStateException("not ready within " + deadline + " (last probe: " + last + "); console:\n"
                + tail(files.serialLog()));
    }

    SshClient.ExecResult exec(String command) {
        return ssh.exec(target, command, Duration.ofSeconds(120));
    }

    /** Runs {@code command}, failing the test on a non-zero exit status; returns its stdout. */
    String run(String command) {
        SshClient.ExecResult r = exec(command);
        if (r.exitCode() != 0) {
            throw new AssertionError("'" + command + "' exited " + r.exitCode() + ": " + r.stderr());
        }
        return r.stdout();
    }

    GuestFiles files() {
        return files;
    }

    Process qemu() {
        return qemu;
    }

    private double secondsSinceStart() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no " + file.getFileName() + ")";
        }
    }

    @Override
    public void close() {
        try {
            if (qemu.isAlive()) {
                qemu.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            port.close();
        }
    }
}
