package io.qemucompose.it.lifecycle;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.QemuComposeCli;
import io.qemucompose.testkit.Commands;
import io.qemucompose.testkit.FreePorts;
import io.qemucompose.testkit.GuestImage;
import io.qemucompose.testkit.PrivateSystemdUser;
import io.qemucompose.testkit.SeedIso;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark behind {@code scripts/bench-up} (a main, not a test): seconds from {@code up} to
 * ready for 1 and 2 VMs, against the same image booted by a bare QEMU command line with a seed and
 * an SSH poll for {@code cloud-init status} = done, and the tool's own time before the boot
 * (plan, overlay, seed, unit start) per VM.
 */
public final class BenchUp {

    private static final Pattern STARTED = Pattern.compile("(\\w+): started \\(unit");
    private static final Pattern READY = Pattern.compile("(\\w+): ready in");

    public static void main(String[] args) throws Exception {
        Path root = Files.createTempDirectory("qc-bench-up-");
        Path image = GuestImage.path();
        List<String> lines = new ArrayList<>();
        try (PrivateSystemdUser systemd = new PrivateSystemdUser().start()) {
            for (int vms : new int[] {1, 2}) {
                double bare = bare(root.resolve("bare-" + vms), image, vms);
                Timing tool = up(root, systemd, vms);
                lines.add(String.format("%d VM(s): up→ready %.1f s (slowest VM), bare qemu→ready %.1f s;"
                        + " tool before boot %.2f s per VM (plan+apply to the unit start), %s", vms, tool.ready, bare,
                        tool.beforeBoot / vms, tool.detail));
            }
        } finally {
            Commands.run(List.of("rm", "-rf", root.toString()));
        }
        System.out.println();
        lines.forEach(System.out::println);
    }

    record Timing(double ready, double beforeBoot, String detail) {}

    /** {@code up} in-process, timing each progress line as it is printed. */
    private static Timing up(Path root, PrivateSystemdUser systemd, int count) {
        ComposeProjectFixture project = new ComposeProjectFixture(root, "bench" + count, systemd);
        Map<String, Integer> vms = new LinkedHashMap<>();
        for (int i = 1; i <= count; i++) {
            vms.put("vm" + i, 768);
        }
        project.writeCompose(vms);
        long start = System.nanoTime();
        Map<String, Double> started = new ConcurrentHashMap<>();
        Map<String, Double> ready = new ConcurrentHashMap<>();
        Writer timed = new Writer() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public synchronized void write(char[] c, int off, int len) {
                for (int i = off; i < off + len; i++) {
                    if (c[i] == '\n') {
                        double t = (System.nanoTime() - start) / 1e9;
                        Matcher s = STARTED.matcher(line);
                        if (s.find()) {
                            started.put(s.group(1), t);
                        }
                        Matcher r = READY.matcher(line);
                        if (r.find()) {
                            ready.put(r.group(1), t);
                        }
                        System.out.printf("[%6.2f] %s%n", t, line);
                        line.setLength(0);
                    } else {
                        line.append(c[i]);
                    }
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        try {
            PrintWriter out = new PrintWriter(timed, true);
            int code = QemuComposeCli.run(new CommandEnvironment(out, out, project.env(), project.dir(), false), "up");
            double total = (System.nanoTime() - start) / 1e9;
            if (code != 0) {
                throw new IllegalStateException("up exited " + code);
            }
            double lastStart = started.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
            return new Timing(total, lastStart, "per VM ready at " + ready + ", unit started at " + started);
        } finally {
            QemuComposeCli.run(new CommandEnvironment(new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                    project.env(), project.dir(), false), "destroy");
        }
    }

    /** The same image and settings by hand: overlay, seed, qemu, then SSH polls until cloud-init is done. */
    private static double bare(Path dir, Path image, int count) throws Exception {
        Files.createDirectories(dir);
        Path key = dir.resolve("id_ed25519");
        Commands.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())).orThrow();
        String publicKey = Files.readString(dir.resolve("id_ed25519.pub")).strip();
        List<Process> qemus = new ArrayList<>();
        List<FreePorts.PortLease> ports = new ArrayList<>();
        try {
            long start = System.nanoTime();
            for (int i = 1; i <= count; i++) {
                Path vmDir = dir.resolve("vm" + i);
                Path disk = GuestImage.overlay(vmDir);
                Path seed = SeedIso.write(vmDir.resolve("seed.iso"), "instance-id: bare-" + i + "\nlocal-hostname: vm" + i + "\n",
                        "#cloud-config\nusers:\n  - name: debian\n    shell: /bin/bash\n    lock_passwd: true\n"
                                + "    sudo: ALL=(ALL) NOPASSWD:ALL\n    ssh_authorized_keys:\n      - " + publicKey + "\n");
                FreePorts.PortLease port = FreePorts.lease();
                ports.add(port);
                qemus.add(new ProcessBuilder("qemu-system-x86_64", "-accel", "tcg", "-machine", "pc", "-cpu", "qemu64",
                        "-smp", "2", "-m", "768", "-nodefaults", "-no-user-config", "-display", "none",
                        "-drive", "file=" + disk + ",if=virtio,format=qcow2",
                        "-drive", "file=" + seed + ",media=cdrom,readonly=on",
                        "-netdev", "user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:" + port.port() + "-:22",
                        "-device", "virtio-net-pci,netdev=net0", "-serial", "file:" + vmDir.resolve("console.log"))
                        .redirectErrorStream(true).redirectOutput(vmDir.resolve("qemu.log").toFile()).start());
            }
            double slowest = 0;
            for (int i = 0; i < count; i++) {
                int port = ports.get(i).port();
                Commands.awaitCondition("bare vm" + (i + 1) + " ready", Duration.ofMinutes(10), Duration.ofSeconds(1),
                        () -> Commands.run(List.of("ssh", "-i", key.toString(), "-p", Integer.toString(port),
                                "-o", "BatchMode=yes", "-o", "UserKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=no",
                                "-o", "ConnectTimeout=5", "-o", "LogLevel=ERROR", "debian@127.0.0.1", "cloud-init status"),
                                Duration.ofSeconds(30), null).stdout().contains("status: done"));
                slowest = (System.nanoTime() - start) / 1e9;
                System.out.printf("[%6.2f] bare vm%d: ready%n", slowest, i + 1);
            }
            return slowest;
        } finally {
            for (Process q : qemus) {
                q.destroy();
                q.waitFor();
            }
            ports.forEach(FreePorts.PortLease::close);
        }
    }
}
