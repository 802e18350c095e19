package io.qemucompose.spec;

import io.qemucompose.spec.SourceNode.MapNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Two bridges of one project on overlapping fixed subnets would route each other's guests wrongly. */
final class SubnetOverlaps {
    private final Fields fields;

    SubnetOverlaps(Fields fields) {
        this.fields = fields;
    }

    void check(MapNode networkNodes, Map<String, NetworkSpec> networks) {
        List<NetworkSpec> seen = new ArrayList<>();
        for (NetworkSpec network : networks.values()) {
            if (network.subnet() instanceof SubnetSpec.Fixed fixed) {
                for (NetworkSpec earlier : seen) {
                    SubnetSpec.Fixed other = (SubnetSpec.Fixed) earlier.subnet();
                    if (overlap(fixed, other)) {
                        SourceNode node = Fields.get((MapNode) networkNodes.entries().get(network.name()).value(),
                                "subnet").orElseThrow();
                        fields.problem(node.pos(), "networks." + network.name() + ".subnet", "found " + fixed
                                + ", which overlaps " + other + " of network '" + earlier.name() + "'");
                    }
                }
                seen.add(network);
            }
        }
    }

    private static boolean overlap(SubnetSpec.Fixed a, SubnetSpec.Fixed b) {
        int prefix = Math.min(a.prefixLength(), b.prefixLength());
        int mask = (int) (0xFFFFFFFFL << (32 - prefix));
        return (a.address() & mask) == (b.address() & mask);
    }
}
