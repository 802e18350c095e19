package io.qemucompose.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DebounceTest {

    private static final long MS = 1_000_000;
    private final Debounce debounce = new Debounce(Duration.ofMillis(100), Duration.ofMillis(1000));

    @Test
    void nothingIsDueWithoutEvents() {
        assertThat(debounce.pending()).isFalse();
        assertThat(debounce.dueAt()).isEmpty();
        assertThat(debounce.due(5_000 * MS)).isFalse();
    }

    @Test
    void anAtomicSaveIsOnePassAfterTheQuietPeriod() {
        // editor: write temp file, rename over the original: events 1-2 ms apart
        debounce.event(0);
        debounce.event(1 * MS);
        debounce.event(2 * MS);
        assertThat(debounce.due(50 * MS)).isFalse();
        assertThat(debounce.dueAt()).hasValue(102 * MS);
        assertThat(debounce.due(102 * MS)).isTrue();
        debounce.reset();
        assertThat(debounce.pending()).isFalse();
    }

    @Test
    void aFileRewrittenWithoutPauseIsStillReconciledAfterMaxDelay() {
        for (long t = 0; t <= 2000; t += 50) {
            debounce.event(t * MS);
            if (debounce.due(t * MS)) {
                assertThat(t).isEqualTo(1000);
                return;
            }
        }
        throw new AssertionError("never due");
    }

    @Test
    void eventsAfterAResetStartANewBurst() {
        debounce.event(0);
        debounce.reset();
        debounce.event(5000 * MS);
        assertThat(debounce.dueAt()).hasValue(5100 * MS);
    }

    @Test
    void maxDelayShorterThanQuietIsRefused() {
        assertThatThrownBy(() -> new Debounce(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
