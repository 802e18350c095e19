package io.qemucompose.driver.kvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;

/** Reads a process's output on a virtual thread; tells whether a marker showed up before the output ended. */
final class SerialWatch {

    private final CompletableFuture<Boolean> seen = new CompletableFuture<>();
    private volatile String lastLine = "";

    SerialWatch(InputStream output, String marker) {
        Thread.ofVirtual().name("kvm-probe-serial").start(() -> {
            try (var reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.ISO_8859_1))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (!line.isBlank()) {
                        lastLine = line.strip();
                    }
                    if (line.contains(marker)) {
                        seen.complete(true);
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
            seen.complete(false);
        });
    }

    /** True once the marker was seen; false when the output ended without it or the deadline passed. */
    boolean await(Duration deadline) throws InterruptedException {
        try {
            return seen.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }

    String lastLine() {
        return lastLine;
    }
}
