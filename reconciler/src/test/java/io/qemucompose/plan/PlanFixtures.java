package io.qemucompose.plan;

import io.qemucompose.desired.DesiredState;
import io.qemucompose.desired.DesiredStates;
import io.qemucompose.observe.ObservedVm;
import io.qemucompose.observe.ObservedWorld;
import io.qemucompose.spec.ComposeFiles;
import io.qemucompose.spec.ComposeLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What the planner tests share: a desired state from YAML text, a world of observed VMs, action ids. */
final class PlanFixtures {

    static final String IMAGE = "https://example.org/debian-12.qcow2";

    /** web depends on db; both of {@link #IMAGE}. */
    static final String TWO_VMS = """
            vms:
              web:
                image: https://example.org/debian-12.qcow2
                memory: 1024
                depends_on: [db]
              db:
                image: https://example.org/debian-12.qcow2
                memory: 2048
            """;

    private PlanFixtures() {
    }

    /** The project "demo" from {@code yaml}, written as {@code qemu-compose.yaml} into {@code dir}. */
    static DesiredState desired(Path dir, String yaml) throws Exception {
        Path file = dir.resolve("qemu-compose.yaml");
        Files.writeString(file, yaml);
        return DesiredStates.of(new ComposeLoader(Map.of())
                .load(ComposeFiles.locate(List.of(file.toString()), Map.of(), dir), Optional.of("demo")));
    }

    /** A world where systemd answers, {@link #IMAGE} is cached and these VMs exist. */
    static ObservedWorld world(ObservedVm... vms) {
        Map<String, ObservedVm> m = new LinkedHashMap<>();
        for (ObservedVm vm : vms) {
            m.put(vm.name(), vm);
        }
        return new ObservedWorld(m, Set.of(IMAGE), true);
    }

    static List<String> ids(Plan plan) {
        return plan.actions().stream().map(a -> a.id().toString()).toList();
    }
}
