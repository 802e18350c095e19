package io.qemucompose.it.watch;

import io.qemucompose.driver.Drivers;
import io.qemucompose.testkit.Commands;
import io.qemucompose.testkit.PrivateSystemdUser;
import io.qemucompose.watch.WatchLoop;
import io.qemucompose.watch.WatchOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test (no *IT name: failsafe runs it only when named, by scripts/bench-watch): the time
 * from a compose file's save (the rename of an editor's atomic save) to the first action of the
 * pass it causes, median of several runs. Each run adds a VM on an empty local disk (QEMU starts,
 * finds nothing to boot, costs little CPU), then removes it again (remove-orphans).
 */
class WatchLatencyBenchmark {

    private static final int RUNS = Integer.getInteger("bench.runs", 7);

    @RegisterExtension
    static PrivateSystemdUser systemd = new PrivateSystemdUser();

    @TempDir
    Path tmp;

    @Test
    void saveToFirstAction() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("bench"));
        Path disk = project.resolve("empty.qcow2");
        Commands.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "64M")).orThrow();
        Path file = project.resolve("qemu-compose.yaml");
        save(file, yaml(List.of("base")));
        Map<String, String> env = new HashMap<>(systemd.environment());
        env.put("QEMU_COMPOSE_USERNET_RESTRICT", "true");
        env.put("QEMU_COMPOSE_ACCEL", "tcg");
        env.put("XDG_DATA_HOME", tmp.resolve("data").toString());
        env.put("XDG_STATE_HOME", tmp.resolve("state").toString());
        AtomicReference<CompletableFuture<Long>> firstAction = new AtomicReference<>(new CompletableFuture<>());
        AtomicReference<CompletableFuture<Void>> passDone = new AtomicReference<>(new CompletableFuture<>());
        List<Long> millis = new ArrayList<>();
        try (Drivers drivers = Drivers.forUser(env)) {
            WatchLoop loop = new WatchLoop(WatchOptions.of(List.of(file.toString()), project, Optional.of("bench"), env,
                    true, Duration.ofMinutes(10), "foreground"), drivers, line -> {
                        System.out.println(line);
                        if (line.contains("▶")) {
                            firstAction.get().complete(System.nanoTime());
                        }
                        if (line.matches(".*pass \\d+: .*")) {
                            passDone.get().complete(null);
                        }
                    });
            Thread thread = Thread.ofPlatform().start(loop);
            passDone.get().get(600, TimeUnit.SECONDS); // the first pass brings "base" up
            for (int run = 1; run <= RUNS; run++) {
                for (List<String> vms : List.of(List.of("base", "extra"), List.of("base"))) {
                    firstAction.set(new CompletableFuture<>());
                    passDone.set(new CompletableFuture<>());
                    long saved = System.nanoTime();
                    save(file, yaml(vms));
                    long started = firstAction.get().get(600, TimeUnit.SECONDS);
                    passDone.get().get(600, TimeUnit.SECONDS);
                    if (vms.size() == 2) {
                        millis.add((started - saved) / 1_000_000);
                    }
                }
            }
            loop.stop();
            loop.awaitFinished(Duration.ofSeconds(120));
            thread.join(Duration.ofSeconds(10));
            List<Long> sorted = millis.stream().sorted().toList();
            System.out.println("BENCH watch save-to-first-action ms: runs=" + sorted + " median="
                    + sorted.get(sorted.size() / 2) + " (goal < 1000)");
        }
    }

    private static String yaml(List<String> vms) {
        StringBuilder sb = new StringBuilder("vms:\n");
        for (String vm : vms) {
            sb.append("  ").append(vm).append(":\n    image: ./empty.qcow2\n    memory: 128\n    cpu: 1\n");
        }
        return sb.toString();
    }

    private static void save(Path file, String text) throws Exception {
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temp, text);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
