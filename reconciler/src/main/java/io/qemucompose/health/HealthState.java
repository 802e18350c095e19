package io.qemucompose.health;

import io.qemucompose.spec.Healthcheck;
import java.time.Duration;

/**
 * docker's health state machine for one run of probes, counted from when the VM became ready: a
 * passing probe makes it healthy at once; a failing one inside {@code start_period} does not
 * count; after it, {@code retries} failures in a row make it unhealthy. Times are
 * {@link System#nanoTime()}-style readings passed in, so tests drive it with a fake clock.
 */
public final class HealthState {

    private final Healthcheck check;
    private final long startNanos;
    private Health health = Health.STARTING;
    private int failuresInARow;

    public HealthState(Healthcheck check, long startNanos) {
        this.check = check;
        this.startNanos = startNanos;
    }

    /** Feeds one probe's outcome, taken at {@code nowNanos}; returns the state after it. */
    public Health record(boolean passed, long nowNanos) {
        if (passed) {
            failuresInARow = 0;
            health = Health.HEALTHY;
        } else if (health != Health.STARTING || nowNanos - startNanos >= check.startPeriod().toNanos()) {
            failuresInARow++;
            if (failuresInARow >= check.retries()) {
                health = Health.UNHEALTHY;
            }
        }
        return health;
    }

    public Health health() {
        return health;
    }

    /**
     * The latest time a verdict can take: the start period, then {@code retries} probes each
     * taking up to its timeout and an interval apart. Waiting beyond it would only mean the
     * guest is too slow to answer at all.
     */
    public long verdictDeadlineNanos() {
        Duration perProbe = check.interval().plus(check.timeout());
        return startNanos + check.startPeriod().plus(perProbe.multipliedBy(check.retries() + 1L)).toNanos();
    }
}
