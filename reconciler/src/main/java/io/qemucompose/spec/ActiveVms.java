package io.qemucompose.spec;

import io.qemucompose.spec.SourceNode.Pos;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * docker compose's profile rules: a VM without {@code profiles:} is always active; one with
 * profiles is active when one of them is enabled. A VM named on the command line enables its own
 * profiles (compose-go's {@code WithServicesEnabled}), so it runs, and so do the VMs that share a
 * profile with it. An active VM that depends on an inactive one is an error, as in compose.
 */
final class ActiveVms {
    private final Fields fields;

    ActiveVms(Fields fields) {
        this.fields = fields;
    }

    /** The names of the inactive VMs; problems for each dependency of an active VM on one of them. */
    Set<String> inactive(Map<String, VmSpec> vms, ProfileRequest request, String variableValue,
            Map<String, Map<String, Pos>> dependencyPositions) {
        Set<String> enabled = request.enabled(variableValue);
        for (String named : request.namedVms()) {
            VmSpec vm = vms.get(named);
            if (vm != null) {
                enabled.addAll(vm.profiles());
            }
        }
        Set<String> inactive = new LinkedHashSet<>();
        for (VmSpec vm : vms.values()) {
            if (!active(vm, enabled)) {
                inactive.add(vm.name());
            }
        }
        for (VmSpec vm : vms.values()) {
            if (inactive.contains(vm.name())) {
                continue;
            }
            for (String dependency : vm.dependsOn().keySet()) {
                VmSpec other = vms.get(dependency);
                Pos pos = dependencyPositions.getOrDefault(vm.name(), Map.of()).get(dependency);
                if (other != null && inactive.contains(dependency) && pos != null) {
                    fields.problem(pos, "vms." + vm.name() + ".depends_on." + dependency, "VM '" + vm.name()
                            + "' depends on '" + dependency + "', which is not enabled: its profiles are "
                            + String.join(", ", other.profiles()) + "; enable one with --profile "
                            + other.profiles().getFirst() + " (or " + ProfileRequest.VARIABLE + "), or name '"
                            + dependency + "' on the command line");
                }
            }
        }
        return inactive;
    }

    private static boolean active(VmSpec vm, Set<String> enabled) {
        return vm.profiles().isEmpty() || enabled.contains(ProfileRequest.ALL)
                || vm.profiles().stream().anyMatch(enabled::contains);
    }
}
