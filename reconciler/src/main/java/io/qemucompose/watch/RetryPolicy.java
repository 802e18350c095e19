package io.qemucompose.watch;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How long to wait before trying a failing VM again, as the Java Operator SDK's GradualRetry:
 * exponential ({@code initial × multiplier^(n-1)}, capped at {@code max}), with ± {@code jitter}
 * (a fraction) so that several failing VMs do not retry in lock-step, and a limit of attempts
 * after which the VM is marked failed and left alone until its spec changes.
 */
public record RetryPolicy(Duration initial, double multiplier, Duration max, int maxAttempts, double jitter) {

    public RetryPolicy {
        if (initial.isNegative() || initial.isZero() || multiplier < 1 || max.compareTo(initial) < 0
                || maxAttempts < 1 || jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("invalid retry policy " + initial + " x" + multiplier + " max " + max
                    + " attempts " + maxAttempts + " jitter " + jitter);
        }
    }

    /** 2 s, 4 s, 8 s … up to 5 min, ±20 %, failed after 8 attempts (≈ 8.5 min of trying). */
    public static RetryPolicy defaults() {
        return new RetryPolicy(Duration.ofSeconds(2), 2.0, Duration.ofMinutes(5), 8, 0.2);
    }

    /**
     * The wait after the {@code failures}-th consecutive failure (1 = the first), or empty when the
     * VM has used up its attempts.
     */
    public Optional<Duration> delayAfter(int failures, RandomGenerator random) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures counts from 1, got " + failures);
        }
        if (failures >= maxAttempts) {
            return Optional.empty();
        }
        double base = Math.min(initial.toMillis() * Math.pow(multiplier, failures - 1), max.toMillis());
        double factor = 1 + jitter * (2 * random.nextDouble() - 1);
        return Optional.of(Duration.ofMillis(Math.max(1, Math.round(base * factor))));
    }
}
