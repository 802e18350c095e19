package io.qemucompose.watch;

import io.qemucompose.apply.ActionGraph;
import io.qemucompose.driver.Drivers;
import io.qemucompose.apply.GraphExecutor;
import io.qemucompose.apply.Reconciler;
import io.qemucompose.desired.DesiredState;
import io.qemucompose.desired.DesiredStates;
import io.qemucompose.desired.DesiredVm;
import io.qemucompose.driver.qemu.GuestCpus;
import io.qemucompose.driver.qemu.RunState;
import io.qemucompose.observe.ObservedVm;
import io.qemucompose.observe.ObservedWorld;
import io.qemucompose.observe.WorldObserver;
import io.qemucompose.plan.Action;
import io.qemucompose.plan.Intent;
import io.qemucompose.plan.Plan;
import io.qemucompose.plan.PlanOptions;
import io.qemucompose.plan.PlanRefusedException;
import io.qemucompose.plan.ResourceChange;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.state.ProjectLock;
import io.qemucompose.state.ProjectState;
import io.qemucompose.state.StateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One level-triggered pass over a loaded project: under the project lock, observe the world,
 * pick the VMs to reconcile ({@link WatchSelection}), plan and apply them with the same
 * {@link Reconciler} as {@code up}, feed failures to the retry policy, and compute conditions.
 */
final class WatchPass {

    /** What the loop keeps between passes. */
    record Memory(VmRetries retries, Map<String, RestartRule.Exit> exits, Map<String, Condition> conditions) {}

    record Outcome(String summary, List<String> changes, Map<String, List<Condition>> vms) {}

    private final Drivers drivers;
    private final WatchOptions options;
    private final Consumer<String> log;
    private final Memory memory;

    WatchPass(Drivers drivers, WatchOptions options, Consumer<String> log, Memory memory) {
        this.drivers = drivers;
        this.options = options;
        this.log = log;
        this.memory = memory;
    }

    /** @param firstActionStarted called once when the pass's first action starts (for the benchmark) */
    Outcome run(ComposeProject project, boolean firstPass, Runnable firstActionStarted) throws InterruptedException {
        Reconciler reconciler = new Reconciler(project, drivers);
        // short: a user's command holding the lock (up waiting for readiness) makes the pass retry later
        StateStore store = new StateStore(reconciler.layout(), Duration.ofSeconds(2));
        List<String> changes = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Instant now = Instant.now();
        DesiredState desired = DesiredStates.of(project);
        WatchSelection.Selection selection;
        try (ProjectLock.Held ignored = store.lock()) {
            ObservedWorld world = new WorldObserver(drivers).observe(project);
            world.vms().values().stream().filter(o -> o.unit().isRunning()).forEach(o -> memory.exits().remove(o.name()));
            selection = WatchSelection.select(desired, world, store.read(), memory.exits(), memory.retries(), now,
                    firstPass, paused(reconciler, world));
            PlanOptions base = PlanOptions.running().withRemoveOrphans(options.removeOrphans());
            List<PlanOptions> steps = new ArrayList<>();
            if (selection.all(desired)) {
                steps.add(base);
            } else {
                if (!selection.reconcile().isEmpty()) {
                    steps.add(base.withSelected(List.copyOf(selection.reconcile())));
                }
                if (options.removeOrphans() && !selection.orphans().isEmpty()) {
                    steps.add(base.withIntent(Intent.ABSENT).withSelected(List.copyOf(selection.orphans())));
                }
            }
            if (!selection.all(desired)) {
                // a network whose bridge or dnsmasq is gone is drift too: plan it with the running VMs
                // on it (they stay as they are), never with VMs the selection left alone on purpose
                List<String> onBrokenNetworks = brokenNetworkUsers(desired, world);
                onBrokenNetworks.removeAll(selection.reconcile());
                if (!onBrokenNetworks.isEmpty()) {
                    steps.add(base.withSelected(onBrokenNetworks));
                }
            }
            boolean[] started = {false};
            for (PlanOptions step : steps) {
                Plan plan = reconciler.plan(step);
                if (!plan.hasChanges()) {
                    continue;
                }
                for (ResourceChange c : plan.changes()) {
                    if (c.kind() != ResourceChange.Kind.ORPHAN) {
                        String line = describe(c);
                        changes.add(line);
                        log.accept("  " + line);
                    }
                }
                if (plan.actions().isEmpty()) {
                    continue;
                }
                Reconciler.Result result = reconciler.apply(step, Optional.empty(), Duration.ofMinutes(10),
                        line -> log.accept("    " + line), new Reconciler.Listener() {
                            @Override
                            public void started(ActionGraph.Node<Action> node) {
                                synchronized (started) {
                                    if (!started[0]) {
                                        started[0] = true;
                                        firstActionStarted.run();
                                    }
                                }
                                log.accept("    ▶ " + node.payload().describe());
                            }

                            @Override
                            public void finished(ActionGraph.Node<Action> node, GraphExecutor.Outcome outcome) {
                                switch (outcome) {
                                    case GraphExecutor.Outcome.Succeeded ok -> log.accept("    ✓ " + node.payload().describe()
                                            + " (" + ok.millis() + " ms)");
                                    case GraphExecutor.Outcome.Failed f -> log.accept("    ✗ " + node.payload().describe()
                                            + ": " + message(f.error()));
                                    case GraphExecutor.Outcome.Skipped s -> log.accept("    - " + node.payload().describe()
                                            + ": skipped (" + s.becauseOf() + " failed)");
                                }
                            }
                        });
                record(result, desired, failures, Instant.now());
            }
        } catch (io.qemucompose.apply.StalePlanException e) {
            throw new IllegalStateException("no saved plan is used here", e);
        } catch (PlanRefusedException e) {
            failures.add("refused: " + e.getMessage());
            log.accept("  ✗ refused: " + e.getMessage());
            return new Outcome("refused: " + e.getMessage(), changes, conditions(project, desired, null, now));
        }
        String summary = failures.isEmpty() ? (changes.isEmpty() ? "no changes" : "applied")
                : failures.size() + " failed: " + String.join("; ", failures);
        return new Outcome(summary, changes, conditions(project, desired, selection, Instant.now()));
    }

    /** The running VMs whose CPUs are frozen, asked over their local QMP sockets. */
    private static java.util.Set<String> paused(Reconciler reconciler, ObservedWorld world) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (ObservedVm o : world.vms().values()) {
            if (o.unit().isRunning() && GuestCpus.state(reconciler.layout().reachableSocket(
                    reconciler.layout().qmpSocket(o.name())), Duration.ofSeconds(1)).orElse(null) == RunState.PAUSED) {
                out.add(o.name());
            }
        }
        return out;
    }

    private void record(Reconciler.Result result, DesiredState desired, List<String> failures, Instant now) {
        Map<String, Action> byId = new HashMap<>();
        result.plan().actions().forEach(a -> byId.put(a.id().toString(), a));
        Map<String, String> failedVms = new LinkedHashMap<>();
        java.util.Set<String> touched = new java.util.LinkedHashSet<>();
        result.report().outcomes().forEach((id, outcome) -> {
            Action a = byId.get(id);
            String vm = a == null ? null : vmOf(a);
            if (vm == null) {
                return;
            }
            touched.add(vm);
            if (outcome instanceof GraphExecutor.Outcome.Failed f) {
                failedVms.putIfAbsent(vm, message(f.error()));
            }
        });
        for (String vm : touched) {
            DesiredVm d = desired.vms().get(vm);
            if (d == null) {
                continue;
            }
            String error = failedVms.get(vm);
            if (error != null) {
                memory.retries().failed(vm, WatchSelection.fingerprint(d), error, now);
                var state = memory.retries().state(vm, WatchSelection.fingerprint(d)).orElseThrow();
                String next = state.gaveUp() ? "giving up: marked failed"
                        : "retry " + (state.failures() + 1) + " at " + state.nextAttempt().get();
                failures.add(vm + ": " + error);
                log.accept("  ✗ " + vm + ": " + error + " (" + next + ")");
            } else {
                memory.retries().succeeded(vm);
            }
        }
    }

    private static String vmOf(Action a) {
        return a.vm().isEmpty() ? null : a.vm();
    }

    /** Running and Synced per VM in the file, from a fresh look at the world. */
    private Map<String, List<Condition>> conditions(ComposeProject project, DesiredState desired,
            WatchSelection.Selection selection, Instant now) {
        ObservedWorld world;
        ProjectState state;
        try {
            world = new WorldObserver(drivers).observe(project);
            state = new StateStore(new io.qemucompose.state.ProjectLayout(project.projectDir())).read();
        } catch (RuntimeException e) {
            log.accept("  (cannot observe the VMs for the status: " + message(e) + ")");
            return Map.of();
        }
        Map<String, List<Condition>> out = new LinkedHashMap<>();
        for (DesiredVm d : desired.vms().values()) {
            String vm = d.name();
            ObservedVm o = world.vm(vm);
            WatchSelection.Hold hold = selection == null ? null : selection.held().get(vm);
            boolean running = o.unit().isRunning();
            Condition runningCond = running
                    ? Condition.of("Running", true, "Running", "unit " + d.unit() + " is " + lower(o.unit()), now)
                    : Condition.of("Running", false, hold != null ? hold.reason() : o.instanceExists() ? "NotRunning"
                            : "NotCreated", hold != null ? hold.message() : "unit " + d.unit() + " is " + lower(o.unit()), now);
            boolean applied = o.instanceExists() && o.applied().equals(d.fieldValues());
            var failure = memory.retries().state(vm, WatchSelection.fingerprint(d));
            Condition synced;
            if (failure.isPresent()) {
                var f = failure.get();
                synced = Condition.of("Synced", false, f.gaveUp() ? "Failed" : "BackingOff",
                        (f.gaveUp() ? "gave up after " : "failed ") + f.failures() + " attempt(s): " + f.lastError(), now);
            } else if (running && applied) {
                synced = Condition.of("Synced", true, "Applied", "runs with the settings of the file", now);
            } else if (hold != null) {
                synced = Condition.of("Synced", false, hold.reason(), hold.message(), now);
            } else {
                synced = Condition.of("Synced", false, "Pending", "not yet matching the file", now);
            }
            List<Condition> list = new ArrayList<>();
            for (Condition c : List.of(runningCond, synced)) {
                Condition kept = c.since(memory.conditions().get(vm + "/" + c.type()));
                memory.conditions().put(vm + "/" + c.type(), kept);
                list.add(kept);
            }
            out.put(vm, list);
        }
        return out;
    }

    /** Running VMs of the file attached to a network that is not healthy (bridge down, dnsmasq dead). */
    static List<String> brokenNetworkUsers(DesiredState desired, ObservedWorld world) {
        List<String> out = new ArrayList<>();
        for (var d : desired.vms().values()) {
            boolean broken = d.spec().networks().stream().anyMatch(n -> !world.network(n).healthy());
            if (broken && world.vm(d.name()).unit().isRunning()) {
                out.add(d.name());
            }
        }
        return out;
    }

    static String describe(ResourceChange c) {
        String fields = c.fields().stream().filter(f -> f.before() != null && f.after() != null)
                .map(f -> f.field() + ": " + f.before().display() + " -> " + f.after().display())
                .collect(Collectors.joining(", "));
        return c.kind().symbol() + " " + (c.isVm() ? c.name() : c.address().toString()) + " " + c.kind().phrase()
                + " (" + c.reason() + ")"
                + (fields.isEmpty() ? "" : ": " + fields);
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** First line, at most 300 characters: a QEMU command line in an error would drown the log and status. */
    static String message(Throwable t) {
        String m = t.getMessage();
        String line = m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
        return line.length() > 300 ? line.substring(0, 297) + "..." : line;
    }
}
