package io.qemucompose.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.qemucompose.driver.Drivers;
import io.qemucompose.driver.image.ImageCache;
import io.qemucompose.driver.image.QemuImg;
import io.qemucompose.driver.kvm.Accelerator;
import io.qemucompose.driver.net.PortLeases;
import io.qemucompose.driver.systemd.UnitManager;
import io.qemucompose.state.ProjectLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The detached reconciler must outlive a failing pass (D-Bus down, a corrupt file, a failing tool) and back off. */
class WatchLoopSurvivalTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(30)
    void aPassThatThrowsIsLoggedMarkedFailedAndRetriedWithBackOff() throws Exception {
        Files.writeString(dir.resolve("qemu-compose.yaml"), "vms:\n  web:\n    image: ./base.img\n");
        AtomicInteger calls = new AtomicInteger();
        Drivers drivers = new Drivers(Map.of(), new ImageCache(dir.resolve("cache")), new QemuImg(),
                new PortLeases(dir.resolve("ports")), () -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("D-Bus: connection reset by peer");
                }, () -> Accelerator.TCG);
        RetryPolicy fast = new RetryPolicy(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1), 3, 0.0);
        WatchOptions options = new WatchOptions(List.of(), dir, Optional.of("app"), Map.of(), false,
                Duration.ofMinutes(5), Duration.ofMillis(10), Duration.ofMillis(50), fast, "detached");
        List<String> log = new CopyOnWriteArrayList<>();
        WatchLoop loop = new WatchLoop(options, drivers, log::add);
        Throwable[] escaped = {null};
        Thread thread = Thread.ofPlatform().start(() -> {
            try {
                loop.run();
            } catch (Throwable t) {
                escaped[0] = t;
            }
        });

        // failing passes: retries after 100, 200 ms, then (3 attempts used up) at the policy's maximum, never given up
        while (calls.get() < 5 && thread.isAlive()) {
            Thread.sleep(20);
        }
        assertThat(escaped[0]).as("exception escaped the loop").isNull();
        assertThat(thread.isAlive()).as("the loop is still running").isTrue();
        assertThat(calls.get()).isGreaterThanOrEqualTo(4);
        // the back-off the loop chose, from its log (no wall-clock measurement: the machine may be loaded)
        assertThat(log.stream().filter(l -> l.contains("trying again in")).limit(4)
                .map(l -> l.substring(l.indexOf("trying again in ") + 16))).containsExactly(
                "100 ms", "200 ms", "1000 ms", "1000 ms");
        assertThat(log).anySatisfy(l -> assertThat(l).contains("pass 1", "failed: D-Bus: connection reset by peer",
                "trying again in"));
        Optional<WatchStatus> status = WatchStatus.read(new ProjectLayout(dir));
        assertThat(status).hasValueSatisfying(s -> assertThat(s.lastPass().outcome())
                .startsWith("failed: D-Bus: connection reset by peer"));

        loop.stop();
        assertThat(loop.awaitFinished(Duration.ofSeconds(10))).isTrue();
        thread.join(5000);
        drivers.close();
    }
}
