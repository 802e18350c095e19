package io.qemucompose.watch;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Per-VM failure bookkeeping for the watcher: consecutive failures, when the next attempt is due
 * ({@link RetryPolicy}), and whether the VM was given up on. A change of the VM's spec (its
 * fingerprint) starts over: the user may have fixed what failed.
 */
public final class VmRetries {

    /** @param nextAttempt empty once the VM has failed for good */
    public record State(String specFingerprint, int failures, Optional<Instant> nextAttempt, String lastError) {
        public boolean gaveUp() {
            return nextAttempt.isEmpty();
        }
    }

    private final RetryPolicy policy;
    private final RandomGenerator random;
    private final Map<String, State> states = new HashMap<>();

    public VmRetries(RetryPolicy policy, RandomGenerator random) {
        this.policy = policy;
        this.random = random;
    }

    public void failed(String vm, String specFingerprint, String error, Instant now) {
        State before = current(vm, specFingerprint);
        int failures = before == null ? 1 : before.failures() + 1;
        Optional<Duration> delay = policy.delayAfter(failures, random);
        states.put(vm, new State(specFingerprint, failures, delay.map(now::plus), error));
    }

    public void succeeded(String vm) {
        states.remove(vm);
    }

    /** The VM's failure state for this spec; empty when it has not failed (or its spec changed since). */
    public Optional<State> state(String vm, String specFingerprint) {
        return Optional.ofNullable(current(vm, specFingerprint));
    }

    /** True while the VM waits out its backoff or was given up on: the watcher leaves it alone. */
    public boolean holding(String vm, String specFingerprint, Instant now) {
        State s = current(vm, specFingerprint);
        return s != null && (s.gaveUp() || now.isBefore(s.nextAttempt().get()));
    }

    /** The earliest moment a VM waiting out its backoff may be tried again. */
    public Optional<Instant> nextDue(Instant now) {
        return states.values().stream().flatMap(s -> s.nextAttempt().stream()).filter(t -> t.isAfter(now))
                .min(Instant::compareTo);
    }

    private State current(String vm, String specFingerprint) {
        State s = states.get(vm);
        if (s != null && !s.specFingerprint().equals(specFingerprint)) {
            states.remove(vm);
            return null;
        }
        return s;
    }
}
