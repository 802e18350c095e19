package io.qemucompose.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.UserFacingException;
import org.junit.jupiter.api.Test;

class SignalTest {

    @Test
    void namesWithOrWithoutSigAndNumbersAreAccepted() {
        assertThat(Signal.parse("KILL")).isEqualTo(new Signal("SIGKILL", 9));
        assertThat(Signal.parse("SIGTERM")).isEqualTo(new Signal("SIGTERM", 15));
        assertThat(Signal.parse("sigint")).isEqualTo(new Signal("SIGINT", 2));
        assertThat(Signal.parse("9")).isEqualTo(Signal.KILL);
        assertThat(Signal.parse("HUP").number()).isEqualTo(1);
        assertThat(Signal.parse("36")).isEqualTo(new Signal("SIGRTMIN+2", 36));
    }

    @Test
    void unknownSignalsAreUsageErrors() {
        for (String bad : new String[] {"NOPE", "0", "65", "", "SIG", "99999999999"}) {
            assertThatThrownBy(() -> Signal.parse(bad)).as(bad).isInstanceOf(UserFacingException.class)
                    .hasMessageContaining("unknown signal")
                    .satisfies(e -> assertThat(((UserFacingException) e).exitCode()).isEqualTo(ExitCode.USAGE));
        }
    }
}
