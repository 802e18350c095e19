package io.qemucompose.spec;

import java.time.Duration;
import java.util.List;

/**
 * docker compose's healthcheck, run in the guest over SSH. {@code test} is the argv to run; with
 * {@code shell} true it is a single command line for the guest's shell ({@code CMD-SHELL} or the
 * string form). Defaults as docker compose: interval 30s, timeout 30s, retries 3, start_period 0s.
 */
public record Healthcheck(List<String> test, boolean shell, Duration interval, Duration timeout,
        int retries, Duration startPeriod) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_RETRIES = 3;

    public Healthcheck {
        test = List.copyOf(test);
    }
}
