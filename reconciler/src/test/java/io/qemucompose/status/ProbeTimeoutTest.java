package io.qemucompose.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProbeTimeoutTest {

    private static final Duration BASE = Duration.ofSeconds(5);

    @Test
    void aHostWithCoresToSpareKeepsTheBaseAndALoadedOneWaitsInProportionUpToFourTimes() {
        assertThat(ProbeTimeout.scaled(BASE, 0.0, 2)).isEqualTo(BASE);
        assertThat(ProbeTimeout.scaled(BASE, 1.9, 2)).isEqualTo(BASE);
        assertThat(ProbeTimeout.scaled(BASE, 6.0, 2)).isEqualTo(Duration.ofSeconds(15));
        assertThat(ProbeTimeout.scaled(BASE, 3.0, 2)).isEqualTo(Duration.ofMillis(7500));
        assertThat(ProbeTimeout.scaled(BASE, 40.0, 2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(ProbeTimeout.scaled(BASE, 6.0, 0)).as("no cores reported: one").isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void thisHostsLoadIsReadAndGivesADeadlineBetweenTheBaseAndFourTimesIt() {
        assertThat(ProbeTimeout.loadAverage()).isGreaterThanOrEqualTo(0.0);
        assertThat(ProbeTimeout.forThisHost()).isBetween(BASE, BASE.multipliedBy(4));
    }
}
