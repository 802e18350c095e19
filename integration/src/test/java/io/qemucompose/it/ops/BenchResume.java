package io.qemucompose.it.ops;

import io.qemucompose.state.ProjectLayout;
import io.qemucompose.testkit.Commands;
import io.qemucompose.testkit.GuestImage;
import io.qemucompose.testkit.PrivateSystemdUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark behind {@code scripts/bench-resume} (a main, not a test): seconds from {@code up}
 * to ready when the VM boots (it was stopped) and when it resumes (it was suspended), the median
 * of each over N runs, their ratio, and the saved state's size on disk.
 */
public final class BenchResume {

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path home = Files.createTempDirectory("qc-bench-resume-");
        Path project = Files.createDirectories(home.resolve("bench"));
        Files.writeString(project.resolve("qemu-compose.yaml"), """
                vms:
                  web:
                    image: %s
                    cpu: 2
                    memory: 1024
                """.formatted(GuestImage.path()));
        List<Double> cold = new ArrayList<>();
        List<Double> resumed = new ArrayList<>();
        List<Double> suspend = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        try (PrivateSystemdUser systemd = new PrivateSystemdUser().start()) {
            Cli cli = new Cli(project, Cli.environment(systemd.environment(), home));
            try {
                check(cli.run("up", "--wait-timeout", "600")); // creates the instance and runs cloud-init once
                for (int i = 0; i < runs; i++) {
                    check(cli.run("stop"));
                    long s = System.nanoTime();
                    check(cli.run("up", "--wait-timeout", "600"));
                    cold.add(since(s));
                    s = System.nanoTime();
                    check(cli.run("suspend"));
                    suspend.add(since(s));
                    sizes.add(Files.size(new ProjectLayout(project).savedState("web")));
                    s = System.nanoTime();
                    check(cli.run("up", "--wait-timeout", "600"));
                    resumed.add(since(s));
                    System.out.printf("run %d: cold up->ready %.1f s, suspend %.1f s, up from suspend->ready %.1f s%n",
                            i + 1, cold.getLast(), suspend.getLast(), resumed.getLast());
                }
            } finally {
                System.out.println(cli.run("destroy"));
            }
        } finally {
            Commands.run(List.of("rm", "-rf", home.toString()));
        }
        double c = median(cold);
        double r = median(resumed);
        System.out.printf("%nmedians over %d runs (%d CPUs, TCG): cold up->ready %.1f s, up from suspend->ready %.1f s"
                + " (%.1fx faster), suspend %.1f s; saved state %d MiB on disk (1 GiB guest)%n", runs,
                Runtime.getRuntime().availableProcessors(), c, r, c / r, median(suspend),
                (long) median(sizes.stream().map(Long::doubleValue).toList()) >> 20);
    }

    private static void check(Cli.Run run) {
        if (run.exitCode() != 0) {
            throw new IllegalStateException(run.toString());
        }
    }

    private static double since(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
