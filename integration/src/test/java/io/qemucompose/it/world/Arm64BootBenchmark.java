package io.qemucompose.it.world;

import io.qemucompose.testkit.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark behind {@code scripts/bench-arm64-boot} (a main, not a test): boots the arm64 test
 * guest N times in a row (fresh overlay, firmware variables and seed each time, as a new VM gets)
 * and prints boot-to-SSH and boot-to-ready seconds with their medians.
 */
public final class Arm64BootBenchmark {

    private Arm64BootBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path root = Files.createTempDirectory("qc-bench-arm64-");
        // a hook, not finally: a benchmark stopped with SIGTERM cleans up too
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Commands.run(List.of("rm", "-rf", root.toString()))));
        List<Arm64Guest.BootTimes> all = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            try (Arm64Guest guest = Arm64Guest.boot(root.resolve("run-" + i), "bench-arm" + i, "4G")) {
                Arm64Guest.BootTimes t = guest.awaitReady(Duration.ofMinutes(15));
                all.add(t);
                System.out.printf("run %d: boot to SSH %.1f s, to ready %.1f s%n", i, t.toSsh(), t.toReady());
                guest.exec("sudo -n systemctl poweroff");
                guest.qemu().waitFor(180, TimeUnit.SECONDS);
            }
        }
        System.out.printf("arm64 TCG (cortex-a57, -smp 2, %d runs): median boot to SSH %.1f s, to ready %.1f s%n", runs,
                median(all.stream().map(Arm64Guest.BootTimes::toSsh).toList()),
                median(all.stream().map(Arm64Guest.BootTimes::toReady).toList()));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
