package io.qemucompose.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** networks.json: changes from the threads of one apply are never lost (each thread has its own instance). */
class NetworkAllocationsTest {

    @TempDir
    Path dir;

    @Test
    void concurrentUpdatesThroughSeparateInstancesAllLand() throws Exception {
        ProjectLayout layout = new ProjectLayout(dir);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 32; i++) {
                String name = "net" + i;
                pool.submit(() -> new NetworkAllocations(layout).update(f -> f.with(name,
                        new NetworkAllocations.Network("auto", "172.16." + name.substring(3) + ".0/24", "qc-" + name,
                                Instant.EPOCH, Map.of()))));
            }
        }
        assertThat(new NetworkAllocations(layout).read().networks()).hasSize(32);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 32; i++) {
                String name = "net" + i;
                pool.submit(() -> new NetworkAllocations(layout).update(f -> f.without(name)));
            }
        }
        assertThat(new NetworkAllocations(layout).read().networks()).isEmpty();
        assertThat(layout.networksJson()).doesNotExist();
    }
}
