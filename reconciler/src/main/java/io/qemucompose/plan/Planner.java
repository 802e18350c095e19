package io.qemucompose.plan;

import io.qemucompose.desired.DesiredState;
import io.qemucompose.desired.DesiredStates;
import io.qemucompose.desired.DesiredVm;
import io.qemucompose.desired.Effect;
import io.qemucompose.desired.Field;
import io.qemucompose.desired.Value;
import io.qemucompose.plan.ActionId.Step;
import io.qemucompose.observe.ObservedVm;
import io.qemucompose.observe.ObservedWorld;
import io.qemucompose.observe.UnitState;
import io.qemucompose.spec.Replica;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The diff: desired state + observed world + intent → plan. Pure; no process or file is touched. */
public final class Planner {

    private Planner() {}

    public static Plan plan(DesiredState desired, ObservedWorld world, PlanOptions requested) throws PlanRefusedException {
        // a scaled VM named on the command line stands for all of its instances
        List<String> expanded = Replica.expand(desired.vms().values().stream().map(DesiredVm::spec).toList(),
                requested.selected());
        PlanOptions options = expanded.equals(requested.selected()) ? requested : requested.withSelected(expanded);
        Set<String> selected = select(desired, world, options);
        List<ResourceChange> changes = new ArrayList<>();
        Map<ActionId, Action> actions = new LinkedHashMap<>();
        Set<ActionId> done = new LinkedHashSet<>();
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
                case RUNNING -> running(d, o, world, options, changes, actions, done, refused);
                case STOPPED -> {
                    if (o.unit().isRunning()) {
                        changes.add(new ResourceChange(Address.vm(name), ResourceChange.Kind.STOP, List.of(),
                                "unit is " + unitWord(o.unit())));
                        put(actions, new Action.StopVm(name, options.forceStop(), options.stopTimeout()));
                    }
                }
                case ABSENT -> destroy(desired.vms(), o, options, changes, actions, "requested");
                case SUSPENDED -> {
                    if (o.unit() == UnitState.ACTIVE) {
                        changes.add(new ResourceChange(Address.vm(name), ResourceChange.Kind.SUSPEND, List.of(),
                                "suspend requested"));
                        put(actions, new Action.SuspendVm(name));
                    } else if (o.unit().isRunning()) {
                        // a VM still starting has nothing worth saving, and QEMU may not even be listening
                        refused.add(name + ": still starting (unit activating); suspend it once it runs, or stop it");
                    }
                }
            }
        }
        Set<String> surplus = surplusReplicas(desired, world, options, selected, changes, actions);
        if (options.selected().isEmpty() || options.intent() == Intent.ABSENT) {
            for (ObservedVm o : world.vms().values()) {
                if (surplus.contains(o.name())) {
                    continue;
                }
                // a VM left out by its profiles is not an orphan; only `destroy` takes it with the project
                boolean inactive = desired.inactiveVms().contains(o.name())
                        && options.intent() != Intent.ABSENT;
                if (!desired.vms().containsKey(o.name()) && o.exists() && !selected.contains(o.name()) && !inactive) {
                    orphan(o, options, changes, actions, false);
                }
            }
        }
        for (String name : selected) {
            java.nio.file.Path owner = world.foreignUnits().get(name);
            if (owner != null) {
                refused.add("vms." + name + ": the unit " + io.qemucompose.state.ProjectLayout.vmUnit(desired.project(), name)
                        + " runs VM '" + name + "' of the project in " + owner + ", which has the same project name '"
                        + desired.project() + "'; give this project another name with -p NAME (or `name:` in the"
                        + " compose file)");
            }
        }
        NetworkPlanner.plan(desired, world, options, changes, actions, done, refused);
        VolumePlanner.plan(desired, world, options, changes, actions, done, refused);
        if (!refused.isEmpty()) {
            throw new PlanRefusedException(refused);
        }
        if (options.waitReady() && options.intent() == Intent.RUNNING) {
            for (ResourceChange c : changes) {
                if (c.isVm() && (c.kind() == ResourceChange.Kind.CREATE || c.kind() == ResourceChange.Kind.REPLACE
                        || c.kind() == ResourceChange.Kind.RESTART || c.kind() == ResourceChange.Kind.START
                        || c.kind() == ResourceChange.Kind.RESUME || c.kind() == ResourceChange.Kind.BOOT)) {
                    put(actions, new Action.AwaitReady(c.name(), List.of(ActionId.vm(Step.START, c.name()))));
                }
            }
            // `up` promises ready VMs: one that runs unchanged may still be booting (started by a run
            // that was killed, or by another `up`), so it is waited for too; no change, no restart
            for (String name : selected) {
                ObservedVm o = world.vm(name);
                if (desired.vms().containsKey(name) && o != null && o.unit().isRunning()
                        && changes.stream().noneMatch(c -> c.address().equals(Address.vm(name)))) {
                    put(actions, new Action.AwaitReady(name, List.of()));
                }
            }
        }
        done.removeAll(actions.keySet());
        return new Plan(desired.project(), options, changes, List.copyOf(actions.values()), done,
                fingerprint(desired, world, options, selected));
    }

    /**
     * Instances 2…N of a VM that the run asks fewer of (scaled down, or a plain {@code up} after
     * {@code up --scale}, as docker compose): destroyed when the VM is part of the run, stopped by
     * {@code stop}, never reported as orphans. Instance 1 keeps the VM's name and is never surplus.
     */
    private static Set<String> surplusReplicas(DesiredState desired, ObservedWorld world, PlanOptions options,
            Set<String> selected, List<ResourceChange> changes, Map<ActionId, Action> actions) {
        Set<String> out = new LinkedHashSet<>();
        for (ObservedVm o : world.vms().values()) {
            if (desired.vms().containsKey(o.name()) || !o.exists() && o.sshPort().isEmpty()) {
                continue;
            }
            String group = Replica.surplusOf(o.name(), o.applied()).or(() -> o.applied().isEmpty()
                    ? replicaGroupByName(desired, o.name()) : java.util.Optional.empty()).orElse(null);
            if (group == null || !(desired.vms().containsKey(group) || desired.inactiveVms().contains(group))) {
                continue;
            }
            out.add(o.name());
            boolean part = options.selected().isEmpty() || selected.contains(group) || selected.contains(o.name());
            if (!part || desired.inactiveVms().contains(group) && options.intent() != Intent.ABSENT) {
                continue;
            }
            long count = desired.vms().values().stream().filter(d -> d.spec().replica().of().equals(group)).count();
            String reason = "surplus instance: " + group + " has " + count + (count == 1 ? " instance" : " instances")
                    + " in this run";
            switch (options.intent()) {
                case RUNNING, ABSENT -> destroy(Map.of(), o, options, changes, actions,
                        options.intent() == Intent.ABSENT ? "requested" : reason);
                case STOPPED -> {
                    if (o.unit().isRunning()) {
                        changes.add(new ResourceChange(Address.vm(o.name()), ResourceChange.Kind.STOP, List.of(), reason));
                        put(actions, new Action.StopVm(o.name(), options.forceStop(), options.stopTimeout()));
                    }
                }
            }
        }
        return out;
    }

    /** An instance without applied record (a crash before its first start) is known by its name alone. */
    private static java.util.Optional<String> replicaGroupByName(DesiredState desired, String instance) {
        return desired.vms().values().stream().map(d -> d.spec().replica().of()).distinct()
                .filter(g -> instance.startsWith(g + "-") && Replica.indexIn(instance, g) >= 2).findFirst();
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
            List<ResourceChange> changes, Map<ActionId, Action> actions, Set<ActionId> done, List<String> refused) {
        String name = d.name();
        Address address = Address.vm(name);
        if (!o.instanceExists() && options.existingOnly()) {
            refused.add(name + " was never created; `qemu-compose up " + name + "` creates it");
            return;
        }
        if (!o.instanceExists()) {
            List<FieldChange> fields = new ArrayList<>();
            d.fields().forEach((k, f) -> fields.add(new FieldChange(k, null, f.value(), f.effect())));
            changes.add(new ResourceChange(address, ResourceChange.Kind.CREATE, fields, "no instance yet"));
            List<ActionId> stopFirst = new ArrayList<>();
            if (o.unit().isRunning()) {
                // a unit running without its disk: stop it before building the instance again
                put(actions, new Action.StopVm(name, true, options.stopTimeout()));
                stopFirst.add(ActionId.vm(Step.STOP, name));
            }
            refuseNeverPull(d, world, options, refused);
            build(d, o, world, options, actions, stopFirst, true, true);
            return;
        }
        List<FieldChange> diffs = diff(d, o);
        Effect worst = diffs.stream().map(FieldChange::effect).max(Enum::compareTo).orElse(Effect.NONE);
        boolean running = o.unit().isRunning();
        for (FieldChange c : diffs) {
            if (c.field().equals("disk.size") && c.before() instanceof Value.Size from && c.after() instanceof Value.Size to
                    && to.bytes() < from.bytes()) {
                refused.add("vms." + name + ".disk.size: cannot shrink the disk of '" + name + "' from " + from.display()
                        + " to " + to.display() + " (data would be lost); destroy the VM first or keep " + from.display());
            }
        }
        if (worst == Effect.REPLACE && options.existingOnly()) {
            refused.add(name + ": " + diffs.stream().filter(c -> c.effect() == Effect.REPLACE).map(FieldChange::field)
                    .findFirst().orElse("image") + " changed, which replaces the VM's disk; `qemu-compose up " + name
                    + "` does that, start and restart never do");
            return;
        }
        if (worst == Effect.REPLACE) {
            String forced = diffs.stream().filter(c -> c.effect() == Effect.REPLACE).map(FieldChange::field)
                    .findFirst().orElse("image");
            changes.add(new ResourceChange(address, ResourceChange.Kind.REPLACE, diffs, forced + " forces replacement"
                    + (o.suspended() ? "; its saved state goes with the old disk" : "")));
            List<ActionId> before = new ArrayList<>();
            if (running) {
                put(actions, new Action.StopVm(name, options.forceStop(), options.stopTimeout()));
                before.add(ActionId.vm(Step.STOP, name));
            }
            put(actions, new Action.RemoveInstance(name, false, List.copyOf(before)));
            refuseNeverPull(d, world, options, refused);
            build(d, o, world, options, actions, List.of(ActionId.vm(Step.REMOVE, name)), true, true);
            return;
        }
        if (worst == Effect.RESTART || o.applied().isEmpty()) {
            String reason = o.applied().isEmpty() ? "no record of the applied settings"
                    : diffs.stream().filter(c -> c.effect() == Effect.RESTART).map(FieldChange::field)
                            .reduce((a, b) -> a + ", " + b).orElse("") + " changed";
            changes.add(new ResourceChange(address, running ? ResourceChange.Kind.RESTART
                    : o.suspended() ? ResourceChange.Kind.BOOT : ResourceChange.Kind.START, diffs, reason));
            List<ActionId> before = new ArrayList<>();
            if (o.suspended()) {
                // RAM saved for one machine shape (memory, CPUs, devices) cannot be loaded into another
                put(actions, new Action.DropSavedState(name));
                before.add(ActionId.vm(Step.DROP_STATE, name));
            }
            if (running) {
                put(actions, new Action.StopVm(name, options.forceStop(), options.stopTimeout()));
                before.add(ActionId.vm(Step.STOP, name));
            }
            diffs.stream().filter(c -> c.field().equals("disk.size") && c.after() instanceof Value.Size)
                    .findFirst()
                    .ifPresent(c -> {
                        put(actions, new Action.ResizeOverlay(name, ((Value.Size) c.after()).bytes(), List.copyOf(before)));
                        before.add(ActionId.vm(Step.RESIZE, name));
                    });
            build(d, o, world, options, actions, before, false, true);
            return;
        }
        if (running && options.restartRunning() && (options.selected().isEmpty() || options.selected().contains(name))) {
            changes.add(new ResourceChange(address, ResourceChange.Kind.RESTART, diffs, "restart requested"));
            put(actions, new Action.StopVm(name, options.forceStop(), options.stopTimeout()));
            build(d, o, world, options, actions, List.of(ActionId.vm(Step.STOP, name)), false, !o.seedExists());
            return;
        }
        if (o.suspended()) {
            changes.add(new ResourceChange(address, ResourceChange.Kind.RESUME, diffs,
                    "suspended by `qemu-compose suspend`"));
            build(d, o, world, options, actions, List.of(), false, !o.seedExists(), true);
            return;
        }
        if (!running) {
            changes.add(new ResourceChange(address, ResourceChange.Kind.START, diffs,
                    o.unit() == UnitState.FAILED ? "unit failed" : "not running"));
            build(d, o, world, options, actions, List.of(), false, !o.seedExists());
            return;
        }
        // running as wanted: what waits for its start may go ahead
        done.add(ActionId.vm(Step.START, name));
        if (!diffs.isEmpty()) {
            changes.add(new ResourceChange(address, ResourceChange.Kind.UPDATE, diffs, "settings that need no restart changed"));
            put(actions, new Action.RecordApplied(name, List.of()));
        }
    }

    /** {@code --pull never} with a disk to create on an image that is not cached: refused before anything runs. */
    private static void refuseNeverPull(DesiredVm d, ObservedWorld world, PlanOptions options, List<String> refused) {
        String location = d.spec().image().location().toString();
        if (options.pull() == PullPolicy.NEVER && !d.spec().image().isLocal()
                && !world.cachedImages().contains(location)) {
            refused.add("vms." + d.name() + ".image: " + location + " is not in the image cache and --pull never "
                    + "forbids downloading it; run `qemu-compose pull " + d.name() + "` or use --pull missing");
        }
    }

    /** Actions that make an instance and start it; {@code after} must finish first. */
    private static void build(DesiredVm d, ObservedVm o, ObservedWorld world, PlanOptions options,
            Map<ActionId, Action> actions, List<ActionId> after, boolean overlay, boolean seed) {
        build(d, o, world, options, actions, after, overlay, seed, false);
    }

    /** @param resume start from the saved state ({@link Action.ResumeVm}) instead of booting */
    private static void build(DesiredVm d, ObservedVm o, ObservedWorld world, PlanOptions options,
            Map<ActionId, Action> actions, List<ActionId> after, boolean overlay, boolean seed, boolean resume) {
        String name = d.name();
        List<ActionId> startDeps = new ArrayList<>(after);
        String location = d.spec().image().location().toString();
        if (overlay) {
            List<ActionId> overlayDeps = new ArrayList<>(after);
            boolean cached = world.cachedImages().contains(location);
            if (!d.spec().image().isLocal() && (options.pull() == PullPolicy.ALWAYS
                    || (!cached && options.pull() == PullPolicy.MISSING))) {
                Action pull = new Action.PullImage(location, options.pull() == PullPolicy.ALWAYS);
                put(actions, pull);
                overlayDeps.add(pull.id());
            }
            put(actions, new Action.CreateOverlay(name, location, List.copyOf(overlayDeps)));
            startDeps.add(ActionId.vm(Step.OVERLAY, name));
        }
        if (seed) {
            List<ActionId> seedDeps = new ArrayList<>(after);
            if (!world.sshKeyExists()) {
                Action key = new Action.EnsureSshKey();
                put(actions, key);
                seedDeps.add(key.id());
            }
            // the seed names each bridge NIC's DNS server, the network's gateway: known once it exists
            d.spec().networks().forEach(n -> seedDeps.add(ActionId.of(Step.ENSURE, Address.network(n))));
            put(actions, new Action.WriteSeed(name, List.copyOf(seedDeps)));
            startDeps.add(ActionId.vm(Step.SEED, name));
        }
        if (o.sshPort().isEmpty()) {
            put(actions, new Action.LeaseSshPort(name));
            startDeps.add(ActionId.vm(Step.LEASE_PORT, name));
        }
        // named volumes are created or grown by VolumePlanner, or declared done when they match
        VolumePlanner.namedVolumes(d).keySet().forEach(v -> startDeps.add(ActionId.of(Step.ENSURE, Address.volume(v))));
        d.spec().networks().forEach(n -> startDeps.add(ActionId.of(Step.ENSURE, Address.network(n))));
        for (String dep : d.startAfter()) {
            startDeps.add(ActionId.vm(Step.START, dep));
        }
        for (String dep : d.readyAfter()) {
            ActionId ready = ActionId.vm(Step.READY, dep);
            startDeps.add(ready);
            if (!actions.containsKey(ready)) {
                put(actions, new Action.AwaitReady(dep, List.of(ActionId.vm(Step.START, dep))));
            }
        }
        put(actions, resume ? new Action.ResumeVm(name, List.copyOf(startDeps))
                : new Action.StartVm(name, List.copyOf(startDeps)));
    }

    private static void destroy(Map<String, DesiredVm> desiredVms, ObservedVm o, PlanOptions options,
            List<ResourceChange> changes, Map<ActionId, Action> actions, String reason) {
        if (!o.exists() && o.sshPort().isEmpty()) {
            return;
        }
        List<FieldChange> fields = new ArrayList<>();
        DesiredVm d = desiredVms.get(o.name());
        o.applied().forEach((k, v) -> fields.add(new FieldChange(k,
                d != null && d.fields().containsKey(k) ? Value.decode(v, d.fields().get(k).value()) : Value.text(v),
                null, Effect.REPLACE)));
        fields.sort(java.util.Comparator.comparing(FieldChange::field));
        changes.add(new ResourceChange(Address.vm(o.name()), ResourceChange.Kind.DESTROY, fields, reason));
        List<ActionId> before = new ArrayList<>();
        if (o.unit().isRunning() || o.unit() == UnitState.DEACTIVATING) {
            put(actions, new Action.StopVm(o.name(), true, options.stopTimeout()));
            before.add(ActionId.vm(Step.STOP, o.name()));
        }
        put(actions, new Action.RemoveInstance(o.name(), true, List.copyOf(before)));
    }

    private static void orphan(ObservedVm o, PlanOptions options, List<ResourceChange> changes,
            Map<ActionId, Action> actions, boolean named) {
        if (options.intent() == Intent.ABSENT || (options.removeOrphans() && options.intent() == Intent.RUNNING)) {
            destroy(Map.of(), o, options, changes, actions, "not in the compose file");
        } else if (named && options.intent() == Intent.STOPPED && o.unit().isRunning()) {
            changes.add(new ResourceChange(Address.vm(o.name()), ResourceChange.Kind.STOP, List.of(), "not in the compose file"));
            put(actions, new Action.StopVm(o.name(), options.forceStop(), options.stopTimeout()));
        } else {
            changes.add(new ResourceChange(Address.vm(o.name()), ResourceChange.Kind.ORPHAN, List.of(),
                    "not in the compose file; run with --remove-orphans to destroy it"));
        }
    }

    static List<FieldChange> diff(DesiredVm d, ObservedVm o) {
        List<FieldChange> out = new ArrayList<>();
        if (o.applied().isEmpty()) {
            return out;
        }
        for (Map.Entry<String, Field> e : d.fields().entrySet()) {
            Value want = e.getValue().value();
            Value was = Value.decode(o.applied().get(e.getKey()), want);
            if (!want.equals(was)) {
                Effect effect = e.getValue().effect();
                if (e.getKey().equals("disk.size") && was != null && !(want instanceof Value.Size)) {
                    effect = Effect.NONE; // dropping the size keeps the disk as it is
                }
                out.add(new FieldChange(e.getKey(), was, want, effect));
            }
        }
        return out;
    }

    private static String unitWord(UnitState s) {
        return s.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static void put(Map<ActionId, Action> actions, Action a) {
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
        world.networks().values().forEach(n -> sb.append('\n').append(n));
        if (!world.volumeSizes().isEmpty()) {
            sb.append('\n').append(new java.util.TreeMap<>(world.volumeSizes()));
        }
        return DesiredStates.sha256(sb.toString());
    }
}
