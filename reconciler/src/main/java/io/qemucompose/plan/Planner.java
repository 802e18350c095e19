package io.qemucompose.plan;

import io.qemucompose.desired.DesiredState;
import io.qemucompose.desired.DesiredStates;
import io.qemucompose.desired.DesiredVm;
import io.qemucompose.desired.Effect;
import io.qemucompose.desired.Field;
import io.qemucompose.observe.ObservedVm;
import io.qemucompose.observe.ObservedWorld;
import io.qemucompose.observe.UnitState;
import io.qemucompose.spec.ByteSize;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The diff: desired state + observed world + intent → plan. Pure; no process or file is touched. */
public final class Planner {

    private Planner() {}

    public static Plan plan(DesiredState desired, ObservedWorld world, PlanOptions options) throws PlanRefusedException {
        Set<String> selected = select(desired, world, options);
        List<VmChange> changes = new ArrayList<>();
        Map<String, Action> actions = new LinkedHashMap<>();
        List<String> refused = new ArrayList<>();
        for (String name : selected) {
            DesiredVm d = desired.vms().get(name);
            ObservedVm o = world.vm(name);
            if (d == null) {
                // an orphan named on the command line: only stopping or destroying makes sense
                orphan(o, options, changes, actions, true);
                continue;
            }
            switch (options.intent()) {
                case RUNNING -> running(d, o, world, options, changes, actions, refused);
                case STOPPED -> {
                    if (o.unit().isRunning()) {
                        changes.add(new VmChange(name, VmChange.Kind.STOP, List.of(), "unit is " + unitWord(o.unit())));
                        put(actions, new Action.StopVm(name, options.forceStop(), options.stopTimeout()));
                    }
                }
                case ABSENT -> destroy(o, options, changes, actions, "requested");
            }
        }
        if (options.selected().isEmpty() || options.intent() == Intent.ABSENT) {
            for (ObservedVm o : world.vms().values()) {
                if (!desired.vms().containsKey(o.name()) && o.exists() && !selected.contains(o.name())) {
                    orphan(o, options, changes, actions, false);
                }
            }
        }
        if (!refused.isEmpty()) {
            throw new PlanRefusedException(refused);
        }
        if (options.waitReady() && options.intent() == Intent.RUNNING) {
            for (VmChange c : changes) {
                if (c.kind() == VmChange.Kind.CREATE || c.kind() == VmChange.Kind.REPLACE
                        || c.kind() == VmChange.Kind.RESTART || c.kind() == VmChange.Kind.START) {
                    put(actions, new Action.AwaitReady(c.vm(), List.of(Action.id("start", c.vm()))));
                }
            }
            // `up` promises ready VMs: one that runs unchanged may still be booting (started by a run
            // that was killed, or by another `up`), so it is waited for too; no change, no restart
            for (String name : selected) {
                ObservedVm o = world.vm(name);
                if (desired.vms().containsKey(name) && o != null && o.unit().isRunning()
                        && changes.stream().noneMatch(c -> c.vm().equals(name))) {
                    put(actions, new Action.AwaitReady(name, List.of()));
                }
            }
        }
        return new Plan(desired.project(), options, changes, List.copyOf(actions.values()),
                fingerprint(desired, world, options, selected));
    }

    /** The selected VMs plus, for {@code up}, everything they depend on (as docker compose does). */
    private static Set<String> select(DesiredState desired, ObservedWorld world, PlanOptions options) {
        Set<String> out = new LinkedHashSet<>();
        if (options.selected().isEmpty()) {
            out.addAll(desired.vms().keySet());
            return out;
        }
        List<String> unknown = new ArrayList<>();
        for (String s : options.selected()) {
            if (!desired.vms().containsKey(s) && !(options.intent() != Intent.RUNNING && world.vms().containsKey(s))) {
                unknown.add(s);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("no VM named " + String.join(", ", unknown) + " in the compose file"
                    + (desired.vms().isEmpty() ? "" : " (VMs: " + String.join(", ", desired.vms().keySet()) + ")"));
        }
        for (String s : options.selected()) {
            addWithDependencies(s, desired, options.intent() == Intent.RUNNING, out);
        }
        // keep file order
        Set<String> ordered = new LinkedHashSet<>();
        for (String n : desired.vms().keySet()) {
            if (out.contains(n)) {
                ordered.add(n);
            }
        }
        for (String n : out) {
            ordered.add(n);
        }
        return ordered;
    }

    private static void addWithDependencies(String name, DesiredState desired, boolean follow, Set<String> out) {
        if (!out.add(name) || !follow) {
            return;
        }
        DesiredVm d = desired.vms().get(name);
        if (d != null) {
            for (String dep : d.spec().dependsOn().keySet()) {
                addWithDependencies(dep, desired, true, out);
            }
        }
    }

    private static void running(DesiredVm d, ObservedVm o, ObservedWorld world, PlanOptions options,
            List<VmChange> changes, Map<String, Action> actions, List<String> refused) {
        String name = d.name();
        if (!o.instanceExists()) {
            List<FieldChange> fields = new ArrayList<>();
            d.fields().forEach((k, f) -> fields.add(new FieldChange(k, null, f.value(), f.effect())));
            changes.add(new VmChange(name, VmChange.Kind.CREATE, fields, "no instance yet"));
            List<String> stopFirst = new ArrayList<>();
            if (o.unit().isRunning()) {
                // a unit running without its disk: stop it before building the instance again
                put(actions, new Action.StopVm(name, true, options.stopTimeout()));
                stopFirst.add(Action.id("stop", name));
            }
            build(d, o, world, options, actions, stopFirst, true, true);
            return;
        }
        List<FieldChange> diffs = diff(d, o);
        Effect worst = diffs.stream().map(FieldChange::effect).max(Enum::compareTo).orElse(Effect.NONE);
        boolean running = o.unit().isRunning();
        for (FieldChange c : diffs) {
            if (c.field().equals("disk.size") && c.from() != null && shrinks(c.from(), c.to())) {
                refused.add("vms." + name + ".disk.size: cannot shrink the disk of '" + name + "' from " + c.from()
                        + " to " + c.to() + " (data would be lost); destroy the VM first or keep " + c.from());
            }
        }
        if (worst == Effect.REPLACE) {
            String forced = diffs.stream().filter(c -> c.effect() == Effect.REPLACE).map(FieldChange::field)
                    .findFirst().orElse("image");
            changes.add(new VmChange(name, VmChange.Kind.REPLACE, diffs, forced + " forces replacement"));
            List<String> before = new ArrayList<>();
            if (running) {
                put(actions, new Action.StopVm(name, options.forceStop(), options.stopTimeout()));
                before.add(Action.id("stop", name));
            }
            put(actions, new Action.RemoveInstance(name, false, List.copyOf(before)));
            build(d, o, world, options, actions, List.of(Action.id("remove", name)), true, true);
            return;
        }
        if (worst == Effect.RESTART || o.applied().isEmpty()) {
            String reason = o.applied().isEmpty() ? "no record of the applied settings"
                    : diffs.stream().filter(c -> c.effect() == Effect.RESTART).map(FieldChange::field)
                            .reduce((a, b) -> a + ", " + b).orElse("") + " changed";
            changes.add(new VmChange(name, running ? VmChange.Kind.RESTART : VmChange.Kind.START, diffs, reason));
            List<String> before = new ArrayList<>();
            if (running) {
                put(actions, new Action.StopVm(name, options.forceStop(), options.stopTimeout()));
                before.add(Action.id("stop", name));
            }
            diffs.stream().filter(c -> c.field().equals("disk.size") && c.to() != null && !c.to().equals("image default"))
                    .findFirst()
                    .ifPresent(c -> {
                        put(actions, new Action.ResizeOverlay(name, ByteSize.parse(c.to()).bytes(), List.copyOf(before)));
                        before.add(Action.id("resize", name));
                    });
            build(d, o, world, options, actions, before, false, true);
            return;
        }
        if (!running) {
            changes.add(new VmChange(name, VmChange.Kind.START, diffs,
                    o.unit() == UnitState.FAILED ? "unit failed" : "not running"));
            build(d, o, world, options, actions, List.of(), false, !o.seedExists());
            return;
        }
        if (!diffs.isEmpty()) {
            changes.add(new VmChange(name, VmChange.Kind.UPDATE, diffs, "settings that need no restart changed"));
            put(actions, new Action.RecordApplied(name, List.of()));
        }
    }

    /** Actions that make an instance and start it; {@code after} must finish first. */
    private static void build(DesiredVm d, ObservedVm o, ObservedWorld world, PlanOptions options,
            Map<String, Action> actions, List<String> after, boolean overlay, boolean seed) {
        String name = d.name();
        List<String> startDeps = new ArrayList<>(after);
        String location = d.spec().image().location().toString();
        if (overlay) {
            List<String> overlayDeps = new ArrayList<>(after);
            if (!d.spec().image().isLocal() && !world.cachedImages().contains(location) && options.pullMissing()) {
                Action pull = new Action.PullImage(location);
                put(actions, pull);
                overlayDeps.add(pull.id());
            }
            put(actions, new Action.CreateOverlay(name, location, List.copyOf(overlayDeps)));
            startDeps.add(Action.id("overlay", name));
        }
        if (seed) {
            List<String> seedDeps = new ArrayList<>(after);
            if (!world.sshKeyExists()) {
                put(actions, new Action.EnsureSshKey());
                seedDeps.add("ssh-key");
            }
            put(actions, new Action.WriteSeed(name, List.copyOf(seedDeps)));
            startDeps.add(Action.id("seed", name));
        }
        if (o.sshPort().isEmpty() && d.spec().networks().isEmpty()) {
            put(actions, new Action.LeaseSshPort(name));
            startDeps.add(Action.id("lease-port", name));
        }
        for (String dep : d.startAfter()) {
            startDeps.add(Action.id("start", dep));
        }
        for (String dep : d.readyAfter()) {
            startDeps.add(Action.id("ready", dep));
            if (!actions.containsKey(Action.id("ready", dep))) {
                put(actions, new Action.AwaitReady(dep, List.of(Action.id("start", dep))));
            }
        }
        put(actions, new Action.StartVm(name, List.copyOf(startDeps)));
    }

    private static void destroy(ObservedVm o, PlanOptions options, List<VmChange> changes, Map<String, Action> actions,
            String reason) {
        if (!o.exists() && o.sshPort().isEmpty()) {
            return;
        }
        List<FieldChange> fields = new ArrayList<>();
        o.applied().forEach((k, v) -> fields.add(new FieldChange(k, v, null, Effect.REPLACE)));
        fields.sort(java.util.Comparator.comparing(FieldChange::field));
        changes.add(new VmChange(o.name(), VmChange.Kind.DESTROY, fields, reason));
        List<String> before = new ArrayList<>();
        if (o.unit().isRunning() || o.unit() == UnitState.DEACTIVATING) {
            put(actions, new Action.StopVm(o.name(), true, options.stopTimeout()));
            before.add(Action.id("stop", o.name()));
        }
        put(actions, new Action.RemoveInstance(o.name(), true, List.copyOf(before)));
    }

    private static void orphan(ObservedVm o, PlanOptions options, List<VmChange> changes, Map<String, Action> actions,
            boolean named) {
        if (options.intent() == Intent.ABSENT || (options.removeOrphans() && options.intent() == Intent.RUNNING)) {
            destroy(o, options, changes, actions, "not in the compose file");
        } else if (named && options.intent() == Intent.STOPPED && o.unit().isRunning()) {
            changes.add(new VmChange(o.name(), VmChange.Kind.STOP, List.of(), "not in the compose file"));
            put(actions, new Action.StopVm(o.name(), options.forceStop(), options.stopTimeout()));
        } else {
            changes.add(new VmChange(o.name(), VmChange.Kind.ORPHAN, List.of(),
                    "not in the compose file; run with --remove-orphans to destroy it"));
        }
    }

    static List<FieldChange> diff(DesiredVm d, ObservedVm o) {
        List<FieldChange> out = new ArrayList<>();
        if (o.applied().isEmpty()) {
            return out;
        }
        for (Map.Entry<String, Field> e : d.fields().entrySet()) {
            String was = o.applied().get(e.getKey());
            if (!e.getValue().value().equals(was)) {
                Effect effect = e.getValue().effect();
                if (e.getKey().equals("disk.size") && was != null && e.getValue().value().equals("image default")) {
                    effect = Effect.NONE; // dropping the size keeps the disk as it is
                }
                out.add(new FieldChange(e.getKey(), was, e.getValue().value(), effect));
            }
        }
        return out;
    }

    private static boolean shrinks(String from, String to) {
        try {
            return !from.equals("image default") && !to.equals("image default")
                    && ByteSize.parse(to).bytes() < ByteSize.parse(from).bytes();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String unitWord(UnitState s) {
        return s.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static void put(Map<String, Action> actions, Action a) {
        actions.putIfAbsent(a.id(), a);
    }

    private static String fingerprint(DesiredState desired, ObservedWorld world, PlanOptions options, Set<String> selected) {
        // waiting for readiness changes nothing in the world: a plan saved without it still applies with it
        StringBuilder sb = new StringBuilder(options.withWaitReady(false).toString());
        for (String n : selected) {
            DesiredVm d = desired.vms().get(n);
            sb.append('\n').append(n).append('=').append(d == null ? "-" : d.fieldValues());
        }
        world.vms().values().forEach(o -> sb.append('\n').append(o));
        sb.append('\n').append(new java.util.TreeSet<>(world.cachedImages())).append(world.sshKeyExists());
        return DesiredStates.sha256(sb.toString());
    }
}
