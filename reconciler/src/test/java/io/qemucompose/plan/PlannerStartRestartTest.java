package io.qemucompose.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qemucompose.desired.DesiredState;
import io.qemucompose.golden.GoldenFile;
import io.qemucompose.observe.ObservedVm;
import io.qemucompose.observe.ObservedWorld;
import io.qemucompose.observe.UnitState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code start} and {@code restart} are plans too: existing instances only, a restart is {@code ~ restart}. */
class PlannerStartRestartTest {

    private static final String TWO_VMS = PlanFixtures.TWO_VMS;

    @TempDir
    Path dir;

    private DesiredState desired(String yaml) throws Exception {
        return PlanFixtures.desired(dir, yaml);
    }

    private static ObservedWorld world(ObservedVm... vms) {
        return PlanFixtures.world(vms);
    }

    private static ObservedVm vm(DesiredState d, String vm, UnitState unit, int port) {
        return new ObservedVm(vm, true, true, unit, d.vms().get(vm).fieldValues(), Optional.of(port));
    }

    private static List<String> ids(Plan plan) {
        return PlanFixtures.ids(plan);
    }

    @Test
    void restartOfARunningUnchangedVmStopsAndStartsItWithTheReasonGiven() throws Exception {
        DesiredState d = desired(TWO_VMS);
        ObservedWorld w = world(vm(d, "web", UnitState.ACTIVE, 2222), vm(d, "db", UnitState.ACTIVE, 2223));
        Plan plan = Planner.plan(d, w, PlanOptions.running().withSelected(List.of("web")).withRestartRunning(true));
        GoldenFile.assertMatches(Path.of("src/test/resources/plan", "restart-requested.txt"), PlanRenderer.text(plan));
        assertThat(ids(plan)).as("db runs as wanted: a dependency is not restarted").containsExactly("stop:vm.web", "start:vm.web");
        assertThat(plan.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(ResourceChange.Kind.RESTART);
            assertThat(c.reason()).isEqualTo("restart requested");
        });
    }

    @Test
    void restartWithoutNamesRestartsEveryRunningVmAndStartsAStoppedOne() throws Exception {
        DesiredState d = desired(TWO_VMS);
        ObservedWorld w = world(vm(d, "web", UnitState.ACTIVE, 2222), vm(d, "db", UnitState.INACTIVE, 2223));
        Plan plan = Planner.plan(d, w, PlanOptions.running().withRestartRunning(true));
        assertThat(plan.changes()).extracting(ResourceChange::name, ResourceChange::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("web", ResourceChange.Kind.RESTART),
                org.assertj.core.groups.Tuple.tuple("db", ResourceChange.Kind.START));
        assertThat(ids(plan)).containsExactlyInAnyOrder("stop:vm.web", "start:vm.web", "start:vm.db");
    }

    @Test
    void restartWithAChangedMemoryAppliesItWithTheFieldAsReason() throws Exception {
        DesiredState before = desired(TWO_VMS);
        ObservedWorld w = world(vm(before, "web", UnitState.ACTIVE, 2222), vm(before, "db", UnitState.ACTIVE, 2223));
        DesiredState after = desired(TWO_VMS.replace("memory: 1024", "memory: 1536"));
        Plan plan = Planner.plan(after, w, PlanOptions.running().withSelected(List.of("web")).withRestartRunning(true));
        assertThat(plan.changes()).singleElement().satisfies(c -> assertThat(c.reason()).isEqualTo("memory changed"));
    }

    @Test
    void startRefusesAVmThatWasNeverCreatedNamingIt() throws Exception {
        DesiredState d = desired(TWO_VMS);
        ObservedVm none = new ObservedVm("web", false, false, UnitState.INACTIVE, Map.of(), Optional.empty());
        ObservedWorld w = world(none, vm(d, "db", UnitState.INACTIVE, 2223));
        assertThatThrownBy(() -> Planner.plan(d, w, PlanOptions.running().withSelected(List.of("web")).withExistingOnly(true)))
                .isInstanceOf(PlanRefusedException.class)
                .hasMessageContaining("web was never created; `qemu-compose up web` creates it");
    }

    @Test
    void startOfAStoppedVmIsATildeStartWithoutCreatingAnything() throws Exception {
        DesiredState d = desired(TWO_VMS);
        ObservedWorld w = world(vm(d, "web", UnitState.INACTIVE, 2222), vm(d, "db", UnitState.ACTIVE, 2223));
        Plan plan = Planner.plan(d, w, PlanOptions.running().withExistingOnly(true));
        GoldenFile.assertMatches(Path.of("src/test/resources/plan", "start-existing.txt"), PlanRenderer.text(plan));
        assertThat(ids(plan)).containsExactly("start:vm.web");
    }

    @Test
    void restartNeverReplacesADisk() throws Exception {
        DesiredState before = desired(TWO_VMS);
        ObservedWorld w = world(vm(before, "web", UnitState.ACTIVE, 2222), vm(before, "db", UnitState.ACTIVE, 2223));
        DesiredState after = desired(TWO_VMS.replaceFirst("debian-12", "debian-13"));
        assertThatThrownBy(() -> Planner.plan(after, w, PlanOptions.running().withRestartRunning(true)))
                .isInstanceOf(PlanRefusedException.class)
                .hasMessageContaining("web: image changed, which replaces the VM's disk");
    }
}
