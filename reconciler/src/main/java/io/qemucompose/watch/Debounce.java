package io.qemucompose.watch;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * Turns a burst of events into one pass: due once no event came for {@code quiet}, or at the
 * latest {@code maxDelay} after the burst's first event (a file rewritten every 100 ms must still
 * be reconciled). An editor's atomic save (write a temp file, rename it over the original) is a
 * few events within a millisecond or two: one pass. Times are {@link System#nanoTime()} values;
 * not thread-safe (the watch loop owns it).
 */
public final class Debounce {

    private final long quietNanos;
    private final long maxDelayNanos;
    private long first;
    private long last;
    private boolean pending;

    public Debounce(Duration quiet, Duration maxDelay) {
        if (quiet.isNegative() || maxDelay.compareTo(quiet) < 0) {
            throw new IllegalArgumentException("need 0 <= quiet <= maxDelay, got " + quiet + " and " + maxDelay);
        }
        this.quietNanos = quiet.toNanos();
        this.maxDelayNanos = maxDelay.toNanos();
    }

    public void event(long now) {
        if (!pending) {
            pending = true;
            first = now;
        }
        last = now;
    }

    public boolean pending() {
        return pending;
    }

    /** When the pending burst becomes due; empty when nothing is pending. */
    public OptionalLong dueAt() {
        if (!pending) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.min(last + quietNanos, first + maxDelayNanos));
    }

    public boolean due(long now) {
        return pending && now - dueAt().getAsLong() >= 0;
    }

    /** The pass started: events from now on form the next burst. */
    public void reset() {
        pending = false;
    }
}
