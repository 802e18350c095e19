package io.qemucompose.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.spec.RestartPolicy;
import io.qemucompose.watch.RestartRule.Exit;
import org.junit.jupiter.api.Test;

class RestartRuleTest {

    @Test
    void noNeverRestarts() {
        for (Exit exit : Exit.values()) {
            assertThat(RestartRule.decide(RestartPolicy.NO, exit, false, false).start()).isFalse();
        }
        assertThat(RestartRule.decide(RestartPolicy.NO, Exit.FAILURE, false, false).reason()).isEqualTo("RestartPolicyNo");
    }

    @Test
    void onFailureRestartsFailedAndUnseenExitsButNotCleanOnes() {
        assertThat(RestartRule.decide(RestartPolicy.ON_FAILURE, Exit.FAILURE, false, false).start()).isTrue();
        assertThat(RestartRule.decide(RestartPolicy.ON_FAILURE, Exit.UNKNOWN, false, false).start()).isTrue();
        var clean = RestartRule.decide(RestartPolicy.ON_FAILURE, Exit.CLEAN, false, false);
        assertThat(clean.start()).isFalse();
        assertThat(clean.reason()).isEqualTo("ExitedCleanly");
    }

    @Test
    void alwaysAndUnlessStoppedRestartWhateverTheExit() {
        for (Exit exit : Exit.values()) {
            assertThat(RestartRule.decide(RestartPolicy.ALWAYS, exit, false, false).start()).isTrue();
            assertThat(RestartRule.decide(RestartPolicy.UNLESS_STOPPED, exit, false, true).start()).isTrue();
        }
    }

    @Test
    void aUserStopIsRespectedByEveryPolicyWhileTheWatcherRuns() {
        for (RestartPolicy p : RestartPolicy.values()) {
            var d = RestartRule.decide(p, Exit.UNKNOWN, true, false);
            assertThat(d.start()).as(p.yamlName()).isFalse();
            assertThat(d.reason()).isEqualTo("StoppedByUser");
        }
    }

    @Test
    void onlyAlwaysRestartsAUserStoppedVmWhenTheWatcherStarts() {
        assertThat(RestartRule.decide(RestartPolicy.ALWAYS, Exit.CLEAN, true, true).start()).isTrue();
        assertThat(RestartRule.decide(RestartPolicy.UNLESS_STOPPED, Exit.CLEAN, true, true).start()).isFalse();
        assertThat(RestartRule.decide(RestartPolicy.ON_FAILURE, Exit.FAILURE, true, true).start()).isFalse();
    }
}
