package io.qemucompose.watch;

import io.qemucompose.desired.DesiredState;
import io.qemucompose.desired.DesiredStates;
import io.qemucompose.desired.DesiredVm;
import io.qemucompose.observe.ObservedVm;
import io.qemucompose.observe.ObservedWorld;
import io.qemucompose.state.ProjectState;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which VMs one watch pass reconciles, and which it leaves alone and why. Pure. The pass then
 * plans {@code RUNNING} for the reconciled VMs only, so the same planner as {@code up} decides
 * what each of them needs (create, restart for a changed field, start, nothing).
 *
 * <ul>
 *   <li>no instance yet (a VM added to the file): reconcile;</li>
 *   <li>running: reconcile (a changed field restarts or replaces it) — unless the user is
 *       stopping it right now, or paused it (a frozen guest is not drift);</li>
 *   <li>exists but does not run: {@link RestartRule} decides;</li>
 *   <li>failing: left alone while it waits out its backoff, and for good once it gave up
 *       (until its spec changes).</li>
 * </ul>
 */
public final class WatchSelection {

    public record Hold(String reason, String message) {}

    /** @param orphans instances no longer in the file (destroyed only with remove-orphans) */
    public record Selection(Set<String> reconcile, Map<String, Hold> held, Set<String> orphans) {
        public boolean all(DesiredState desired) {
            return held.isEmpty() && reconcile.size() == desired.vms().size();
        }
    }

    private WatchSelection() {}

    public static String fingerprint(DesiredVm vm) {
        return DesiredStates.sha256(vm.fieldValues().toString());
    }

    public static Selection select(DesiredState desired, ObservedWorld world, ProjectState state,
            Map<String, RestartRule.Exit> exits, VmRetries retries, Instant now, boolean firstPass) {
        return select(desired, world, state, exits, retries, now, firstPass, Set.of());
    }

    /** @param paused running VMs whose CPUs the user froze: left alone, a change of the file waits for unpause */
    public static Selection select(DesiredState desired, ObservedWorld world, ProjectState state,
            Map<String, RestartRule.Exit> exits, VmRetries retries, Instant now, boolean firstPass, Set<String> paused) {
        Set<String> reconcile = new LinkedHashSet<>();
        Map<String, Hold> held = new LinkedHashMap<>();
        for (DesiredVm d : desired.vms().values()) {
            String name = d.name();
            ObservedVm o = world.vm(name);
            boolean stoppedByUser = state.vm(name).map(ProjectState.VmRecord::stoppedByUser).orElse(false);
            var failure = retries.state(name, fingerprint(d));
            if (retries.holding(name, fingerprint(d), now)) {
                var s = failure.get();
                held.put(name, s.gaveUp()
                        ? new Hold("Failed", "gave up after " + s.failures() + " attempts: " + s.lastError())
                        : new Hold("BackingOff", "attempt " + s.failures() + " failed (" + s.lastError()
                                + "); next try at " + s.nextAttempt().get()));
                continue;
            }
            if (!o.instanceExists()) {
                reconcile.add(name);
            } else if (o.suspended()) {
                // never "repaired": resuming is the user's call, and a changed file would boot it instead
                held.put(name, new Hold("Suspended", "suspended by `qemu-compose suspend`; `up` resumes it"));
            } else if (o.unit().isRunning()) {
                if (stoppedByUser) {
                    held.put(name, new Hold("StoppedByUser", "being stopped by the user"));
                } else if (paused.contains(name)) {
                    held.put(name, new Hold("Paused", "paused by `qemu-compose pause`; `unpause` resumes it"));
                } else {
                    reconcile.add(name);
                }
            } else if (o.applied().isEmpty()) {
                // created but never started (an interrupted up): finishing it is what the file asks
                reconcile.add(name);
            } else {
                RestartRule.Decision decision = RestartRule.decide(d.spec().restart(),
                        exits.getOrDefault(name, RestartRule.Exit.UNKNOWN), stoppedByUser, firstPass);
                if (decision.start()) {
                    reconcile.add(name);
                } else {
                    held.put(name, new Hold(decision.reason(), decision.message()));
                }
            }
        }
        Set<String> orphans = new LinkedHashSet<>();
        for (ObservedVm o : world.vms().values()) {
            if (!desired.vms().containsKey(o.name()) && (o.exists() || o.sshPort().isPresent())) {
                orphans.add(o.name());
            }
        }
        return new Selection(reconcile, held, orphans);
    }

    /** The VMs to name in the plan's selection: empty means all (which also covers orphans). */
    public static List<String> planSelection(Selection s, DesiredState desired) {
        return s.all(desired) ? List.of() : List.copyOf(s.reconcile());
    }
}
