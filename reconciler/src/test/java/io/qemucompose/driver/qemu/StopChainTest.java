package io.qemucompose.driver.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class StopChainTest {

    private final AtomicBoolean exited = new AtomicBoolean();
    private final List<String> tried = new ArrayList<>();
    private final VmExitWatch exitWatch = timeout -> exited.get();

    private StopStep step(String name, boolean stops) {
        return new StopStep() {
            public String name() {
                return name;
            }

            public boolean attempt(Duration deadline) {
                tried.add(name + "@" + deadline.toSeconds());
                if (stops) {
                    exited.set(true);
                }
                return stops;
            }
        };
    }

    @Test
    void fallsThroughToTheFirstStepThatStopsTheVmAndReportsIt() {
        var chain = new StopChain(List.of(
                new StopChain.Stage(step("guest-agent", false), Duration.ofSeconds(10)),
                new StopChain.Stage(step("acpi", true), Duration.ofSeconds(60)),
                new StopChain.Stage(step("sigterm", true), Duration.ofSeconds(5))));
        StopChain.Outcome outcome = chain.run(exitWatch);
        assertThat(outcome.stoppedBy()).contains("acpi");
        assertThat(tried).containsExactly("guest-agent@10", "acpi@60");
        assertThat(outcome.attempts()).extracting(StopChain.Attempt::stopped).containsExactly(false, true);
    }

    @Test
    void aStepThatThrowsIsRecordedAndTheNextOneRuns() {
        StopStep broken = new StopStep() {
            public String name() {
                return "guest-agent";
            }

            public boolean attempt(Duration deadline) {
                throw new GuestAgentException("no reply to guest-sync-delimited");
            }
        };
        var outcome = new StopChain(List.of(new StopChain.Stage(broken, Duration.ofSeconds(1)),
                new StopChain.Stage(step("sigterm", true), Duration.ofSeconds(1)))).run(exitWatch);
        assertThat(outcome.stoppedBy()).contains("sigterm");
        assertThat(outcome.attempts().getFirst().failure()).contains("no reply to guest-sync-delimited");
    }

    @Test
    void nothingIsTriedWhenQemuAlreadyExited() {
        exited.set(true);
        var outcome = new StopChain(List.of(new StopChain.Stage(step("acpi", true), Duration.ofSeconds(1)))).run(exitWatch);
        assertThat(outcome.stoppedBy()).contains("already-stopped");
        assertThat(tried).isEmpty();
    }

    @Test
    void reportsNoStopWhenEveryStepFails() {
        var outcome = new StopChain(List.of(new StopChain.Stage(step("acpi", false), Duration.ofSeconds(1)))).run(exitWatch);
        assertThat(outcome.stopped()).isFalse();
        assertThat(outcome.attempts()).hasSize(1);
    }

    @Test
    void anyOfReportsTheFirstWatchThatSeesTheExit() {
        VmExitWatch never = timeout -> false;
        VmExitWatch now = timeout -> true;
        assertThat(VmExitWatch.anyOf(List.of(never, now)).awaitExit(Duration.ofSeconds(1))).isTrue();
        assertThat(VmExitWatch.anyOf(List.of(never, never)).awaitExit(Duration.ofMillis(10))).isFalse();
    }
}
