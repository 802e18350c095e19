package io.qemucompose.plan;

import io.qemucompose.desired.DesiredState;
import io.qemucompose.desired.DesiredVm;
import io.qemucompose.desired.Effect;
import io.qemucompose.desired.Value;
import io.qemucompose.observe.ObservedNetwork;
import io.qemucompose.observe.ObservedVm;
import io.qemucompose.observe.ObservedWorld;
import io.qemucompose.plan.ActionId.Step;
import io.qemucompose.spec.NetworkSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The network part of a plan, run after the VMs are planned. A network is brought up when a VM
 * that will run uses it (docker compose creates only the networks its services use), repaired
 * when its bridge or dnsmasq is gone, replaced when its {@code subnet:} changed (its VMs restart),
 * and removed with the project ({@code destroy}) or, as an orphan, with {@code --remove-orphans}.
 * Bridges and TAPs need CAP_NET_ADMIN: without it, a plan that needs them is refused before
 * anything is created. Pure.
 */
final class NetworkPlanner {

    /** Said once when a plan needs bridges and the process may not make them. */
    static final String NO_NET_ADMIN = "networks: bridge networks need CAP_NET_ADMIN to create bridges and TAP "
            + "devices, and this process does not have it; run qemu-compose as root (e.g. `sudo -E qemu-compose up`), "
            + "or leave out `networks:` to use user-mode networking only; "
            + "`qemu-compose doctor` shows what this host allows";

    private NetworkPlanner() {}

    static void plan(DesiredState desired, ObservedWorld world, PlanOptions options, List<ResourceChange> changes,
            Map<ActionId, Action> actions, Set<ActionId> done, List<String> refused) {
        List<ActionId> vmTeardown = actions.values().stream()
                .filter(a -> a instanceof Action.StopVm || a instanceof Action.RemoveInstance)
                .map(Action::id).toList();
        boolean needsNetAdmin = false;
        if (options.intent() == Intent.RUNNING) {
            for (String network : needed(desired, world, actions)) {
                NetworkSpec spec = desired.networks().get(network);
                if (spec == null) {
                    continue; // an undeclared network is a compose-file error, reported by the loader
                }
                needsNetAdmin |= ensure(desired, world, spec, changes, actions, done, refused);
            }
        }
        // networks on record that the file no longer declares, or all of them for `destroy`
        boolean destroyAll = options.intent() == Intent.ABSENT && options.selected().isEmpty();
        for (ObservedNetwork o : world.networks().values()) {
            boolean inFile = desired.networks().containsKey(o.name());
            if (!o.exists() || (inFile && !destroyAll)) {
                continue;
            }
            if (destroyAll || options.removeOrphans()) {
                changes.add(new ResourceChange(Address.network(o.name()), ResourceChange.Kind.DESTROY,
                        recordedFields(o), destroyAll ? "requested" : "not in the compose file"));
                put(actions, new Action.RemoveNetwork(o.name(), vmTeardown));
                needsNetAdmin = true;
            } else if (options.intent() == Intent.RUNNING && options.selected().isEmpty()) {
                changes.add(new ResourceChange(Address.network(o.name()), ResourceChange.Kind.ORPHAN, List.of(),
                        "not in the compose file; run with --remove-orphans to remove it"));
            }
        }
        if (needsNetAdmin && !world.netAdmin()) {
            refused.add(world.networksUnavailable().isEmpty() ? NO_NET_ADMIN
                    : "networks: " + world.networksUnavailable() + "; or leave out `networks:` to use user-mode"
                            + " networking only; `qemu-compose doctor` shows what this host allows");
        }
    }

    /** Networks of the VMs that will run once the plan is done. */
    static Set<String> needed(DesiredState desired, ObservedWorld world, Map<ActionId, Action> actions) {
        Set<String> out = new LinkedHashSet<>();
        for (DesiredVm d : desired.vms().values()) {
            ObservedVm o = world.vm(d.name());
            boolean starts = actions.containsKey(ActionId.vm(Step.START, d.name()));
            boolean keepsRunning = o.unit().isRunning() && !actions.containsKey(ActionId.vm(Step.STOP, d.name()));
            if (starts || keepsRunning) {
                out.addAll(d.spec().networks());
            }
        }
        return out;
    }

    /** Plans what makes one network match; true when that needs CAP_NET_ADMIN. */
    private static boolean ensure(DesiredState desired, ObservedWorld world, NetworkSpec spec,
            List<ResourceChange> changes, Map<ActionId, Action> actions, Set<ActionId> done, List<String> refused) {
        String name = spec.name();
        Address address = Address.network(name);
        ObservedNetwork o = world.network(name);
        String requested = spec.subnet().toString();
        List<FieldChange> fields = new ArrayList<>();
        if (o.allocation().isEmpty()) {
            fields.add(new FieldChange("driver", null, Value.text(spec.driver()), Effect.NONE));
            fields.add(new FieldChange("subnet", null, Value.text(requested.equals("auto")
                    ? "auto (a free /24 of 172.16.0.0/12)" : requested), Effect.NONE));
            changes.add(new ResourceChange(address, ResourceChange.Kind.CREATE, fields, "no network yet"));
            put(actions, new Action.EnsureNetwork(name, List.of()));
            return true;
        }
        var allocation = o.allocation().get();
        boolean subnetChanged = !requested.equals(allocation.requested())
                && !(requested.equals("auto") && allocation.requested().equals("auto"));
        if (subnetChanged) {
            fields.add(new FieldChange("subnet", Value.text(allocation.subnet()), Value.text(requested), Effect.REPLACE));
            changes.add(new ResourceChange(address, ResourceChange.Kind.REPLACE, fields, "subnet forces replacement"));
            // every VM on it must be down while the bridge is rebuilt: each restarts (its networks field changed)
            List<ActionId> stops = new ArrayList<>();
            for (DesiredVm d : desired.vms().values()) {
                if (!world.vm(d.name()).unit().isRunning()) {
                    continue;
                }
                boolean attached = d.spec().networks().contains(name)
                        || world.vm(d.name()).applied().getOrDefault("networks", "").matches("(.*, )?" + java.util.regex.Pattern.quote(name) + " \\(.*");
                ActionId stop = ActionId.vm(Step.STOP, d.name());
                if (attached && actions.containsKey(stop)) {
                    stops.add(stop);
                } else if (attached) {
                    refused.add("networks." + name + ".subnet: network '" + name + "' changes its subnet but VM '"
                            + d.name() + "' uses it and keeps running; run `up` for it too, or stop it first");
                }
            }
            put(actions, new Action.RemoveNetwork(name, stops));
            put(actions, new Action.EnsureNetwork(name, List.of(ActionId.of(Step.REMOVE, address))));
            return true;
        }
        if (!o.healthy()) {
            String reason = !o.bridgeUp() ? "bridge " + allocation.bridge() + " is missing or down"
                    : o.dnsmasq() != io.qemucompose.observe.UnitState.ACTIVE ? "dnsmasq is not running"
                    : "the VMs on it changed (DHCP reservations and DNS names)";
            changes.add(new ResourceChange(address, ResourceChange.Kind.UPDATE, List.of(), reason));
            put(actions, new Action.EnsureNetwork(name, List.of()));
            return true;
        }
        done.add(ActionId.of(Step.ENSURE, address));
        return false;
    }

    private static List<FieldChange> recordedFields(ObservedNetwork o) {
        List<FieldChange> out = new ArrayList<>();
        o.allocation().ifPresent(a -> {
            out.add(new FieldChange("subnet", Value.text(a.subnet()), null, Effect.REPLACE));
            out.add(new FieldChange("bridge", Value.text(a.bridge()), null, Effect.REPLACE));
        });
        return out;
    }

    private static void put(Map<ActionId, Action> actions, Action a) {
        actions.putIfAbsent(a.id(), a);
    }
}
