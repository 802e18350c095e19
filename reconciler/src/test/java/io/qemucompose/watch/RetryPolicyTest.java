package io.qemucompose.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    /** A random source that always returns the same value (0.5 = no jitter). */
    private static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(30), 6, 0.2);

    @Test
    void delaysGrowExponentiallyUpToTheCap() {
        RandomGenerator none = fixed(0.5);
        assertThat(policy.delayAfter(1, none)).hasValue(Duration.ofSeconds(2));
        assertThat(policy.delayAfter(2, none)).hasValue(Duration.ofSeconds(4));
        assertThat(policy.delayAfter(3, none)).hasValue(Duration.ofSeconds(8));
        assertThat(policy.delayAfter(4, none)).hasValue(Duration.ofSeconds(16));
        assertThat(policy.delayAfter(5, none)).hasValue(Duration.ofSeconds(30));
    }

    @Test
    void givesUpAfterMaxAttempts() {
        assertThat(policy.delayAfter(6, fixed(0.5))).isEmpty();
    }

    @Test
    void jitterStaysWithinItsFraction() {
        Random random = new Random(42);
        for (int i = 0; i < 1000; i++) {
            long ms = policy.delayAfter(3, random).orElseThrow().toMillis();
            assertThat(ms).isBetween(6400L, 9600L);
        }
        assertThat(policy.delayAfter(3, fixed(0.0))).hasValue(Duration.ofMillis(6400));
        assertThat(policy.delayAfter(3, fixed(0.9999999))).hasValue(Duration.ofMillis(9600));
    }

    @Test
    void aFailingVmIsHeldDuringBackoffThenFreedAndFinallyMarkedFailed() {
        VmRetries retries = new VmRetries(new RetryPolicy(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(30), 3, 0),
                fixed(0.5));
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        retries.failed("web", "spec1", "boom", t0);
        assertThat(retries.holding("web", "spec1", t0.plusSeconds(1))).isTrue();
        assertThat(retries.holding("web", "spec1", t0.plusSeconds(2))).isFalse();
        assertThat(retries.nextDue(t0)).hasValue(t0.plusSeconds(2));
        retries.failed("web", "spec1", "boom", t0.plusSeconds(2));
        assertThat(retries.holding("web", "spec1", t0.plusSeconds(5))).isTrue();
        retries.failed("web", "spec1", "still boom", t0.plusSeconds(6));
        var state = retries.state("web", "spec1").orElseThrow();
        assertThat(state.gaveUp()).isTrue();
        assertThat(state.lastError()).isEqualTo("still boom");
        assertThat(retries.holding("web", "spec1", t0.plusSeconds(3600))).isTrue();
        assertThat(retries.nextDue(t0.plusSeconds(6))).isEmpty();
    }

    @Test
    void aChangedSpecOrASuccessStartsOver() {
        VmRetries retries = new VmRetries(policy, fixed(0.5));
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        retries.failed("web", "spec1", "boom", t0);
        assertThat(retries.holding("web", "spec2", t0)).isFalse();
        assertThat(retries.state("web", "spec1")).isEmpty(); // forgotten once the spec changed
        retries.failed("db", "s", "boom", t0);
        retries.succeeded("db");
        assertThat(retries.holding("db", "s", t0)).isFalse();
    }
}
