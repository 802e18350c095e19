package io.qemucompose.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.desired.DesiredState;
import io.qemucompose.desired.DesiredStates;
import io.qemucompose.golden.GoldenFile;
import io.qemucompose.observe.ObservedVm;
import io.qemucompose.observe.ObservedWorld;
import io.qemucompose.observe.UnitState;
import io.qemucompose.spec.ComposeLoader;
import io.qemucompose.spec.ComposeSource;
import io.qemucompose.spec.Replica;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scaling in the plan: instances are VMs of their own; surplus ones are destroyed, never orphans. */
class PlannerReplicasTest {
    private static final String FILE = """
            vms:
              web:
                image: https://example.org/debian-12.qcow2
                memory: 1024
              db:
                image: https://example.org/debian-12.qcow2
                memory: 1024
            """;
    @TempDir
    Path dir;

    private DesiredState desired(Map<String, Integer> scale) throws Exception {
        Path file = dir.resolve("qemu-compose.yaml");
        Files.writeString(file, FILE);
        return DesiredStates.of(new ComposeLoader(Map.of()).withScale(scale).load(ComposeSource.of(file),
                Optional.of("demo")));
    }

    private static ObservedWorld world(ObservedVm... vms) {
        Map<String, ObservedVm> m = new LinkedHashMap<>();
        for (ObservedVm vm : vms) {
            m.put(vm.name(), vm);
        }
        return new ObservedWorld(m, Set.of("https://example.org/debian-12.qcow2"), true);
    }

    private static ObservedVm running(DesiredState d, String vm, int port) {
        return new ObservedVm(vm, true, true, UnitState.ACTIVE, d.vms().get(vm).fieldValues(), Optional.of(port));
    }

    @Test
    void scalingUpKeepsTheVmAndCreatesTheNewInstancesOnly() throws Exception {
        DesiredState one = desired(Map.of());
        DesiredState two = desired(Map.of("web", 2));
        Plan plan = Planner.plan(two, world(running(one, "web", 2222), running(one, "db", 2223)),
                PlanOptions.running());

        assertThat(plan.vmChanges()).extracting(c -> c.address().toString() + " " + c.kind())
                .containsExactly("vm.web-2 CREATE");
        assertThat(two.vms().get("web-2").fields()).containsKey(Replica.FIELD);
        assertThat(two.vms().get("web").fields()).doesNotContainKey(Replica.FIELD);
    }

    @Test
    void scalingDownDestroysTheSurplusInstance() throws Exception {
        DesiredState two = desired(Map.of("web", 2));
        DesiredState one = desired(Map.of());
        ObservedWorld w = world(running(two, "web", 2222), running(two, "web-2", 2224), running(two, "db", 2223));

        Plan plan = Planner.plan(one, w, PlanOptions.running());

        GoldenFile.assertMatches(Path.of("src/test/resources/plan/scale-down.txt"), PlanRenderer.text(plan));
        assertThat(plan.actions()).extracting(a -> a.id().toString()).containsExactly("stop:vm.web-2", "remove:vm.web-2");
    }

    @Test
    void upOfAnotherVmLeavesTheSurplusAlone() throws Exception {
        DesiredState two = desired(Map.of("web", 2));
        DesiredState one = desired(Map.of());
        ObservedWorld w = world(running(two, "web", 2222), running(two, "web-2", 2224), running(two, "db", 2223));

        assertThat(Planner.plan(one, w, PlanOptions.running().withSelected(List.of("db"))).vmChanges()).isEmpty();
    }

    @Test
    void aScaledNameSelectsAllItsInstances() throws Exception {
        DesiredState two = desired(Map.of("web", 2));
        ObservedWorld w = world(running(two, "web", 2222), running(two, "web-2", 2224), running(two, "db", 2223));

        Plan stop = Planner.plan(two, w, PlanOptions.running().withIntent(Intent.STOPPED).withSelected(List.of("web")));

        assertThat(stop.vmChanges()).extracting(c -> c.name()).containsExactly("web", "web-2");
        Plan stopOne = Planner.plan(two, w, PlanOptions.running().withIntent(Intent.STOPPED)
                .withSelected(List.of("web-2")));
        assertThat(stopOne.vmChanges()).extracting(c -> c.name()).containsExactly("web-2");
    }

    @Test
    void anInstanceThatNeverRecordedItsFieldsIsStillKnownByItsName() throws Exception {
        DesiredState one = desired(Map.of());
        ObservedVm crashed = new ObservedVm("web-2", true, false, UnitState.INACTIVE, Map.of(), Optional.of(2224));
        Plan plan = Planner.plan(one, world(running(one, "web", 2222), running(one, "db", 2223), crashed),
                PlanOptions.running());

        assertThat(plan.vmChanges()).extracting(c -> c.name() + " " + c.kind()).containsExactly("web-2 DESTROY");
    }
}
