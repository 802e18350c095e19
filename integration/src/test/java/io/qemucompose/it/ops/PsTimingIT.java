package io.qemucompose.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.testkit.Commands;
import io.qemucompose.testkit.PrivateSystemdUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wall time of {@code ps} for 1, 5 and 20 VMs. The VMs are cheap stubs: real units running real
 * QEMU (TCG, 128 MB) on a blank 64 MB qcow2 image, so SeaBIOS finds nothing to boot and the guest
 * idles; odd-numbered VMs are then stopped (instance kept), even-numbered ones keep running. A
 * running stub has no sshd: its probe lasts the whole probe timeout, the worst case for "starting".
 */
class PsTimingIT {

    @RegisterExtension
    static PrivateSystemdUser systemd = new PrivateSystemdUser();

    @TempDir
    Path home;

    @Test
    void psStaysFastAsVmsAreAdded() throws Exception {
        Path project = Files.createDirectories(home.resolve("timing"));
        Path blank = home.resolve("blank.qcow2");
        Commands.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", blank.toString(), "64M")).orThrow();
        StringBuilder compose = new StringBuilder("name: timing\nvms:\n");
        List<String> names = IntStream.rangeClosed(1, 20).mapToObj(i -> String.format("vm%02d", i)).toList();
        for (String vm : names) {
            compose.append("  ").append(vm).append(":\n    image: ").append(blank).append("\n    cpu: 1\n    memory: 128\n");
        }
        Files.writeString(project.resolve("qemu-compose.yaml"), compose);
        Cli cli = new Cli(project, Cli.environment(systemd.environment(), home));
        try {
            Cli.Run up = cli.run("up", "--no-wait");
            assertThat(up.exitCode()).as(up.toString()).isZero();
            List<String> odd = names.stream().filter(n -> Integer.parseInt(n.substring(2)) % 2 == 1).toList();
            List<String> stopArgs = new ArrayList<>(List.of("stop", "--force"));
            stopArgs.addAll(odd);
            assertThat(cli.run(stopArgs.toArray(String[]::new)).exitCode()).isZero();
            cli.run("ps", "--no-probe"); // warm the JVM's code paths once, as a long-lived shell would be

            StringBuilder report = new StringBuilder("ps wall time (in-process, after one warm-up run):\n");
            for (List<String> subset : List.of(List.of("vm02"), names.subList(0, 5), names)) {
                for (boolean probe : List.of(false, true)) {
                    List<String> args = new ArrayList<>(List.of("ps"));
                    if (!probe) {
                        args.add("--no-probe");
                    }
                    args.addAll(subset);
                    long start = System.nanoTime();
                    Cli.Run ps = cli.run(args.toArray(String[]::new));
                    long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
                    assertThat(ps.exitCode()).as(ps.toString()).isZero();
                    long running = ps.out().lines().filter(l -> l.contains(probe ? " starting " : " active ")).count();
                    long stopped = ps.out().lines().filter(l -> l.contains(" stopped ")).count();
                    assertThat(running + stopped).as(ps.out()).isEqualTo(subset.size());
                    report.append(String.format("  %2d VMs (%d running, %d stopped) %-10s %5d ms%n", subset.size(), running,
                            stopped, probe ? "probe" : "--no-probe", ms));
                    if (!probe) {
                        assertThat(ms).as("without probes ps is one D-Bus call and file reads").isLessThan(1000);
                    }
                }
            }
            System.out.print(report);
            Files.writeString(Path.of(System.getProperty("java.io.tmpdir"), "qc-ps-timing.txt"), report);
        } finally {
            cli.run("destroy");
        }
    }
}
