package io.qemucompose.driver.qemu;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** Bytes a guest read from and wrote to all its drives, from QMP {@code query-blockstats}. */
public record BlockStats(long readBytes, long writtenBytes) {

    /** Empty when QMP cannot answer now (no socket, another client connected, QEMU gone). */
    public static Optional<BlockStats> query(Path qmpSocket, Duration timeout) {
        if (!Files.exists(qmpSocket)) {
            return Optional.empty();
        }
        try (QmpClient qmp = QmpClient.connect(qmpSocket, timeout)) {
            return Optional.of(of(qmp.execute("query-blockstats")));
        } catch (QmpException e) {
            return Optional.empty();
        }
    }

    /** Sums the {@code stats} of every device in a {@code query-blockstats} reply. */
    static BlockStats of(JsonNode reply) {
        long read = 0;
        long written = 0;
        for (JsonNode device : reply) {
            read += device.path("stats").path("rd_bytes").asLong();
            written += device.path("stats").path("wr_bytes").asLong();
        }
        return new BlockStats(read, written);
    }
}
