package io.qemucompose.driver.qemu;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tries stop steps in order, each with its own deadline, until one reports that QEMU exited. The
 * reconciler composes the chain, e.g. guest agent → ACPI → SSH poweroff → SIGTERM, or only the last
 * for {@code --force}.
 */
public final class StopChain {

    public record Stage(StopStep step, Duration deadline) {
    }

    /** What one step did: whether QEMU exited, how long it took, and why it failed when it threw. */
    public record Attempt(String step, boolean stopped, Duration took, Optional<String> failure) {
    }

    /** Which step stopped the VM (empty: none did), and every attempt in order. */
    public record Outcome(Optional<String> stoppedBy, List<Attempt> attempts) {

        public boolean stopped() {
            return stoppedBy.isPresent();
        }
    }

    private final List<Stage> stages;

    public StopChain(List<Stage> stages) {
        this.stages = List.copyOf(stages);
    }

    /**
     * Runs the steps, skipping all of them when {@code alreadyExited} says QEMU is gone before the first.
     */
    public Outcome run(VmExitWatch alreadyExited) {
        var attempts = new ArrayList<Attempt>();
        if (alreadyExited.awaitExit(Duration.ZERO)) {
            return new Outcome(Optional.of("already-stopped"), attempts);
        }
        for (Stage stage : stages) {
            long start = System.nanoTime();
            try {
                boolean stopped = stage.step().attempt(stage.deadline());
                attempts.add(new Attempt(stage.step().name(), stopped, Duration.ofNanos(System.nanoTime() - start), Optional.empty()));
                if (stopped) {
                    return new Outcome(Optional.of(stage.step().name()), attempts);
                }
            } catch (RuntimeException e) {
                attempts.add(new Attempt(stage.step().name(), false, Duration.ofNanos(System.nanoTime() - start),
                        Optional.of(String.valueOf(e.getMessage()))));
                if (alreadyExited.awaitExit(Duration.ZERO)) {
                    // a step can fail because QEMU went away under it (socket closed): that is a stop
                    return new Outcome(Optional.of(stage.step().name()), attempts);
                }
            }
        }
        return new Outcome(Optional.empty(), attempts);
    }
}
