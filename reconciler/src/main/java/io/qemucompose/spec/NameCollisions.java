package io.qemucompose.spec;

import io.qemucompose.spec.SourceNode.Entry;
import io.qemucompose.spec.SourceNode.MapNode;
import io.qemucompose.spec.SourceNode.Pos;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses a project in which two bridges or two TAPs would get the same 15-character interface
 * name after {@link Names} shortened them (a hash collision, however unlikely, must not let two
 * networks share a bridge silently).
 */
final class NameCollisions {
    private final Fields fields;

    NameCollisions(Fields fields) {
        this.fields = fields;
    }

    void check(String project, MapNode root, Map<String, NetworkSpec> networks, Map<String, VmSpec> vms,
            Map<String, Pos> vmPositions) {
        Map<String, String> bridges = new HashMap<>();
        Optional<MapNode> networkNodes = Fields.get(root, "networks")
                .filter(MapNode.class::isInstance).map(MapNode.class::cast);
        for (String network : networks.keySet()) {
            String bridge = Names.bridgeName(project, network);
            String other = bridges.putIfAbsent(bridge, network);
            if (other != null) {
                Pos pos = networkNodes.map(m -> m.entries().get(network)).map(Entry::key).map(SourceNode.Key::pos)
                        .orElse(root.pos());
                fields.problem(pos, "networks." + network, "networks '" + other + "' and '" + network
                        + "' would share the bridge name " + bridge + "; rename one of them");
            }
        }
        Map<String, String> taps = new HashMap<>();
        for (VmSpec vm : vms.values()) {
            for (int i = 0; i < vm.networks().size(); i++) {
                String tap = Names.tapName(project, vm.name(), i);
                String other = taps.putIfAbsent(tap, vm.name());
                if (other != null && !other.equals(vm.name())) {
                    fields.problem(vmPositions.get(vm.name()), "vms." + vm.name(), "VMs '" + other + "' and '"
                            + vm.name() + "' would share the TAP name " + tap + "; rename one of them");
                }
            }
        }
    }
}
