package io.qemucompose.plan;

import io.qemucompose.desired.DesiredState;
import io.qemucompose.desired.DesiredVm;
import io.qemucompose.desired.Effect;
import io.qemucompose.desired.Value;
import io.qemucompose.plan.ActionId.Step;
import io.qemucompose.observe.ObservedVm;
import io.qemucompose.observe.ObservedWorld;
import io.qemucompose.spec.ByteSize;
import io.qemucompose.spec.Mount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The named-volume part of a plan, run after the VMs are planned: create the volumes that VMs
 * about to start need, grow those whose {@code size} grew (shrinking is refused), and refuse a
 * volume that would be used read-write by two running VMs at once (ext4 is no cluster file system;
 * QEMU's image locks would also stop the second VM, with a far less clear message). Pure.
 */
final class VolumePlanner {

    /** qcow2 sizes are whole 512-byte sectors; compare sizes as qemu-img reports them. */
    private static final long SECTOR = 512;

    private VolumePlanner() {}

    static void plan(DesiredState desired, ObservedWorld world, PlanOptions options, List<ResourceChange> changes,
            Map<ActionId, Action> actions, Set<ActionId> done, List<String> refused) {
        if (options.intent() != Intent.RUNNING) {
            return;
        }
        Set<String> starting = new LinkedHashSet<>();
        for (Action a : actions.values()) {
            if (a instanceof Action.StartVm || a instanceof Action.ResumeVm) {
                starting.add(a.vm());
            }
        }
        // which VMs will run once the plan is done, with the volumes each mounts (name → read-only)
        Map<String, Map<String, Boolean>> runningAfter = new LinkedHashMap<>();
        for (DesiredVm d : desired.vms().values()) {
            ObservedVm o = world.vm(d.name());
            boolean keepsRunning = o.unit().isRunning() && !actions.containsKey(ActionId.vm(Step.STOP, d.name()));
            if (starting.contains(d.name()) || keepsRunning) {
                runningAfter.put(d.name(), namedVolumes(d));
            }
        }
        refuseSharedWriters(runningAfter, refused);
        Set<String> needed = new LinkedHashSet<>();
        for (String vm : starting) {
            DesiredVm d = desired.vms().get(vm);
            if (d != null) {
                needed.addAll(namedVolumes(d).keySet());
            }
        }
        for (String volume : needed) {
            if (!desired.volumes().containsKey(volume)) {
                continue; // the spec loader already reported an unknown volume
            }
            long want = roundUp(desired.volumes().get(volume).size().bytes());
            Long have = world.volumeSizes().get(volume);
            Address address = Address.volume(volume);
            if (have == null) {
                put(actions, new Action.CreateVolume(volume, want));
                changes.add(new ResourceChange(address, ResourceChange.Kind.CREATE,
                        List.of(new FieldChange("size", null, new Value.Size(want), Effect.NONE)), "no disk yet"));
            } else if (want == have) {
                done.add(ActionId.of(Step.ENSURE, address));
            } else if (want < have) {
                refused.add("volumes." + volume + ".size: cannot shrink volume '" + volume + "' from "
                        + new ByteSize(have) + " to " + new ByteSize(want) + " (data would be lost); keep at least "
                        + new ByteSize(have) + ", or remove it with `qemu-compose volume rm " + volume
                        + "` to start empty");
            } else {
                grow(desired, world, actions, refused, volume, have, want);
                changes.add(new ResourceChange(address, ResourceChange.Kind.UPDATE,
                        List.of(new FieldChange("size", new Value.Size(have), new Value.Size(want), Effect.NONE)),
                        "size grew"));
            }
        }
    }

    private static void grow(DesiredState desired, ObservedWorld world, Map<ActionId, Action> actions,
            List<String> refused, String volume, long have, long want) {
        List<ActionId> after = new ArrayList<>();
        for (DesiredVm d : desired.vms().values()) {
            if (!namedVolumes(d).containsKey(volume) || !world.vm(d.name()).unit().isRunning()) {
                continue;
            }
            ActionId stop = ActionId.vm(Step.STOP, d.name());
            if (actions.containsKey(stop)) {
                after.add(stop);
            } else {
                refused.add("volumes." + volume + ".size: volume '" + volume + "' grows to " + new ByteSize(want)
                        + " but VM '" + d.name() + "' uses it and keeps running; run `up` for it too, or stop it first");
            }
        }
        put(actions, new Action.GrowVolume(volume, have, want, after));
    }

    private static void refuseSharedWriters(Map<String, Map<String, Boolean>> runningAfter, List<String> refused) {
        Map<String, List<String>> users = new LinkedHashMap<>();
        Map<String, Boolean> anyWriter = new LinkedHashMap<>();
        runningAfter.forEach((vm, volumes) -> volumes.forEach((volume, readOnly) -> {
            users.computeIfAbsent(volume, k -> new ArrayList<>()).add(vm + (readOnly ? " (read-only)" : " (read-write)"));
            anyWriter.merge(volume, !readOnly, Boolean::logicalOr);
        }));
        users.forEach((volume, vms) -> {
            if (vms.size() > 1 && anyWriter.get(volume)) {
                refused.add("volumes." + volume + ": volume '" + volume + "' would be used by " + String.join(" and ", vms)
                        + " at once; ext4 is not a cluster file system, so a read-write volume can be used by one "
                        + "running VM only: stop the other VM first, or mount it read_only in every VM");
            }
        });
    }

    /** The VM's named volumes → read-only (a volume mounted twice in one VM counts as read-write if either is). */
    static Map<String, Boolean> namedVolumes(DesiredVm d) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (Mount m : d.spec().volumes()) {
            if (m instanceof Mount.NamedVolumeMount v) {
                out.merge(v.volume(), v.readOnly(), Boolean::logicalAnd);
            }
        }
        return out;
    }

    private static long roundUp(long bytes) {
        return (bytes + SECTOR - 1) / SECTOR * SECTOR;
    }

    private static void put(Map<ActionId, Action> actions, Action a) {
        actions.putIfAbsent(a.id(), a);
    }
}
