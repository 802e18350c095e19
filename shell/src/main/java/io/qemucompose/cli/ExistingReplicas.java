package io.qemucompose.cli;

import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.Replica;
import io.qemucompose.spec.VmSpec;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.ProjectState;
import io.qemucompose.state.StateFileException;
import io.qemucompose.state.StateStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The instances of scaled VMs that exist beyond what the file asks for: after {@code up --scale
 * web=3}, {@code ps}, {@code ssh web-3}, {@code stop web} and {@code destroy} must see web-3 as
 * docker compose sees the containers it made, although a plain {@code up} would remove it.
 * Read from {@code state.json}, where each instance 2…N records which VM it is one of.
 */
final class ExistingReplicas {
    private ExistingReplicas() {}

    /** {@code named} plus the VM of the file each recorded instance among them was made for. */
    static List<String> withTheirVms(Path projectDir, List<String> named) {
        if (named.isEmpty()) {
            return named;
        }
        ProjectState state;
        try {
            state = new StateStore(new ProjectLayout(projectDir)).read();
        } catch (StateFileException e) {
            return named;
        }
        List<String> out = new ArrayList<>(named);
        for (String name : named) {
            state.vm(name).flatMap(r -> Replica.surplusOf(name, r.applied())).filter(vm -> !out.contains(vm))
                    .ifPresent(out::add);
        }
        return out;
    }

    /** VM → instance count, for each VM of {@code project} with more instances recorded than loaded. */
    static Map<String, Integer> beyond(ComposeProject project) {
        ProjectState state;
        try {
            state = new StateStore(new ProjectLayout(project.projectDir())).read();
        } catch (StateFileException e) {
            return Map.of(); // the command that needs the state reports it
        }
        Map<String, Integer> loaded = new HashMap<>();
        for (VmSpec vm : project.vms().values()) {
            loaded.put(vm.replica().of(), vm.replica().count());
        }
        Map<String, Integer> out = new HashMap<>();
        state.vms().forEach((instance, record) -> Replica.surplusOf(instance, record.applied())
                .filter(loaded::containsKey)
                .ifPresent(vm -> {
                    int index = Replica.indexIn(instance, vm);
                    if (index > loaded.get(vm) && index > out.getOrDefault(vm, 0)) {
                        out.put(vm, index);
                    }
                }));
        return out;
    }
}
