package io.qemucompose.status;

import io.qemucompose.observe.WorldObserver;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.VmSpec;
import io.qemucompose.state.ProjectState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Which VMs are on a network: by the compose file, and which of them (or of what ran before) run now. */
public final class NetworkUsers {

    private NetworkUsers() {
    }

    /** VMs of the compose file that list {@code network}, in file order. */
    public static List<String> attached(ComposeProject project, String network) {
        return project.vms().values().stream().filter(vm -> vm.networks().contains(network)).map(VmSpec::name).toList();
    }

    /**
     * VMs whose unit runs attached to {@code network}: by the file, or by what was applied when the
     * unit started (an edited file or an orphan still counts, since its TAP is still on the bridge).
     * None when the service manager could not be asked.
     */
    public static List<String> running(ComposeProject project, WorldObserver.Instances world, String network) {
        List<String> out = new ArrayList<>();
        for (String vm : world.names()) {
            if (!world.unit(vm).map(u -> !u.isStopped()).orElse(false)) {
                continue;
            }
            VmSpec spec = project.vms().get(vm);
            boolean byFile = spec != null && spec.networks().contains(network);
            if (byFile || appliedNetworks(world.state().vm(vm)).contains(network)) {
                out.add(vm);
            }
        }
        return List.copyOf(out);
    }

    /**
     * The networks the applied {@code networks} field names: {@code "front (auto), back (10.1.2.0/24)"}
     * or {@code "user-mode"}. Network names hold neither spaces nor parentheses ({@code spec.Names}).
     */
    static List<String> appliedNetworks(Optional<ProjectState.VmRecord> record) {
        String applied = record.map(ProjectState.VmRecord::applied).map(m -> m.getOrDefault("networks", ""))
                .orElse("");
        List<String> out = new ArrayList<>();
        for (String entry : applied.split(", ")) {
            int paren = entry.indexOf(" (");
            if (paren > 0) {
                out.add(entry.substring(0, paren));
            }
        }
        return out;
    }
}
