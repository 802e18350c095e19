package io.qemucompose.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.spec.Healthcheck;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthStateTest {

    private static final long S = Duration.ofSeconds(1).toNanos();

    private static Healthcheck check(int retries, Duration startPeriod) {
        return new Healthcheck(List.of("true"), true, Duration.ofSeconds(10), Duration.ofSeconds(5), retries,
                startPeriod);
    }

    @Test
    void startsAsStartingAndOnePassingProbeMakesItHealthy() {
        HealthState state = new HealthState(check(3, Duration.ZERO), 0);
        assertThat(state.health()).isEqualTo(Health.STARTING);
        assertThat(state.record(true, 1 * S)).isEqualTo(Health.HEALTHY);
    }

    @Test
    void becomesUnhealthyAfterRetriesFailuresInARow() {
        HealthState state = new HealthState(check(3, Duration.ZERO), 0);
        assertThat(state.record(false, 0)).isEqualTo(Health.STARTING);
        assertThat(state.record(false, 10 * S)).isEqualTo(Health.STARTING);
        assertThat(state.record(false, 20 * S)).isEqualTo(Health.UNHEALTHY);
    }

    @Test
    void aPassingProbeResetsTheCountOfFailures() {
        HealthState state = new HealthState(check(2, Duration.ZERO), 0);
        state.record(false, 0);
        assertThat(state.record(true, 10 * S)).isEqualTo(Health.HEALTHY);
        assertThat(state.record(false, 20 * S)).isEqualTo(Health.HEALTHY);
        assertThat(state.record(false, 30 * S)).isEqualTo(Health.UNHEALTHY);
        assertThat(state.record(true, 40 * S)).isEqualTo(Health.HEALTHY);
    }

    @Test
    void failuresDuringTheStartPeriodDoNotCount() {
        HealthState state = new HealthState(check(1, Duration.ofSeconds(30)), 0);
        assertThat(state.record(false, 10 * S)).isEqualTo(Health.STARTING);
        assertThat(state.record(false, 29 * S)).isEqualTo(Health.STARTING);
        assertThat(state.record(false, 30 * S)).isEqualTo(Health.UNHEALTHY);
    }

    @Test
    void theVerdictIsDueAfterTheStartPeriodAndRetriesProbes() {
        HealthState state = new HealthState(check(3, Duration.ofSeconds(30)), 100 * S);
        // 30 s start period + 4 × (10 s interval + 5 s timeout)
        assertThat(state.verdictDeadlineNanos()).isEqualTo(190 * S);
    }
}
