package io.qemucompose.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConditionTest {

    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    private final Instant t1 = t0.plusSeconds(60);

    @Test
    void transitionTimeStaysWhileTheStatusDoesNotChange() {
        Condition before = Condition.of("Running", true, "Running", "unit is active", t0);
        Condition now = Condition.of("Running", true, "Running", "unit is activating", t1).since(before);
        assertThat(now.lastTransitionTime()).isEqualTo(t0);
        assertThat(now.message()).isEqualTo("unit is activating");
    }

    @Test
    void transitionTimeMovesWhenTheStatusFlips() {
        Condition before = Condition.of("Running", true, "Running", "unit is active", t0);
        Condition now = Condition.of("Running", false, "Crashed", "gone", t1).since(before);
        assertThat(now.lastTransitionTime()).isEqualTo(t1);
        assertThat(Condition.of("Synced", true, "Applied", "", t1).since(null).lastTransitionTime()).isEqualTo(t1);
    }
}
