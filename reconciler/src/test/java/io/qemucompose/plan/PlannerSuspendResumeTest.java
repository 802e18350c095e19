package io.qemucompose.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qemucompose.desired.DesiredState;
import io.qemucompose.golden.GoldenFile;
import io.qemucompose.observe.ObservedVm;
import io.qemucompose.observe.ObservedWorld;
import io.qemucompose.observe.UnitState;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A suspended VM is resumed by {@code up}, never loaded into a machine of another shape, and never booted by accident. */
class PlannerSuspendResumeTest {

    private static final String TWO_VMS = PlanFixtures.TWO_VMS;

    @TempDir
    Path dir;

    private DesiredState desired(String yaml) throws Exception {
        return PlanFixtures.desired(dir, yaml);
    }

    private static ObservedWorld world(ObservedVm... vms) {
        return PlanFixtures.world(vms);
    }

    private static ObservedVm vm(DesiredState d, String vm, UnitState unit, boolean savedState) {
        return new ObservedVm(vm, true, true, unit, d.vms().get(vm).fieldValues(), Optional.of(2222), savedState);
    }

    private static List<String> ids(Plan plan) {
        return PlanFixtures.ids(plan);
    }

    @Test
    void upOfASuspendedVmIsATildeResumeThatLoadsTheStateWithoutCreatingAnything() throws Exception {
        DesiredState d = desired(TWO_VMS);
        ObservedWorld w = world(vm(d, "web", UnitState.INACTIVE, true), vm(d, "db", UnitState.ACTIVE, false));
        Plan plan = Planner.plan(d, w, PlanOptions.running().withWaitReady(true));
        GoldenFile.assertMatches(Path.of("src/test/resources/plan", "resume.txt"), PlanRenderer.text(plan));
        assertThat(plan.actions()).filteredOn(a -> a.id().toString().equals("start:vm.web"))
                .singleElement().isInstanceOf(Action.ResumeVm.class);
        assertThat(ids(plan)).containsExactly("start:vm.web", "ready:vm.web", "ready:vm.db");
        assertThat(plan.changes()).singleElement().satisfies(c -> assertThat(c.kind()).isEqualTo(ResourceChange.Kind.RESUME));
        assertThat(plan.toChange()).isEqualTo(1);
    }

    @Test
    void aMemoryChangeDropsTheSavedStateAndBootsSayingSo() throws Exception {
        DesiredState before = desired(TWO_VMS);
        ObservedWorld w = world(vm(before, "web", UnitState.INACTIVE, true), vm(before, "db", UnitState.ACTIVE, false));
        DesiredState after = desired(TWO_VMS.replace("memory: 1024", "memory: 1536"));
        Plan plan = Planner.plan(after, w, PlanOptions.running());
        GoldenFile.assertMatches(Path.of("src/test/resources/plan", "resume-dropped.txt"), PlanRenderer.text(plan));
        assertThat(plan.actions()).filteredOn(a -> a.id().toString().equals("start:vm.web"))
                .singleElement().isInstanceOf(Action.StartVm.class);
        Action start = plan.actions().stream().filter(a -> a.id().toString().equals("start:vm.web")).findFirst().orElseThrow();
        assertThat(start.dependsOn()).as("the state is gone before QEMU starts").contains(ActionId.vm(ActionId.Step.DROP_STATE, "web"));
        assertThat(plan.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(ResourceChange.Kind.BOOT);
            assertThat(c.reason()).isEqualTo("memory changed");
        });
        assertThat(PlanRenderer.json(plan)).contains("\"action\" : \"boot\"");
    }

    @Test
    void aSettingThatNeedsNoRestartStillResumes() throws Exception {
        DesiredState before = desired(TWO_VMS);
        ObservedVm web = new ObservedVm("web", true, true, UnitState.INACTIVE,
                withField(before.vms().get("web").fieldValues(), "restart", "always"), Optional.of(2222), true);
        ObservedWorld w = world(web, vm(before, "db", UnitState.ACTIVE, false));
        Plan plan = Planner.plan(before, w, PlanOptions.running());
        assertThat(plan.changes()).singleElement().satisfies(c -> assertThat(c.kind()).isEqualTo(ResourceChange.Kind.RESUME));
    }

    @Test
    void suspendSavesOnlyRunningVmsAndRefusesOneStillStarting() throws Exception {
        DesiredState d = desired(TWO_VMS);
        ObservedWorld w = world(vm(d, "web", UnitState.ACTIVE, false), vm(d, "db", UnitState.INACTIVE, false));
        Plan plan = Planner.plan(d, w, PlanOptions.running().withIntent(Intent.SUSPENDED));
        assertThat(ids(plan)).containsExactly("suspend:vm.web");
        assertThat(PlanRenderer.text(plan)).contains("# vm.web will be suspended", "Plan: 0 to add, 1 to change, 0 to destroy.");

        ObservedWorld booting = world(vm(d, "web", UnitState.ACTIVATING, false), vm(d, "db", UnitState.INACTIVE, false));
        assertThatThrownBy(() -> Planner.plan(d, booting, PlanOptions.running().withIntent(Intent.SUSPENDED)))
                .isInstanceOf(PlanRefusedException.class).hasMessageContaining("web: still starting");
    }

    @Test
    void aSuspendedVmIsNeitherStoppedNorSuspendedAgainAndDestroyRemovesIt() throws Exception {
        DesiredState d = desired(TWO_VMS);
        ObservedWorld w = world(vm(d, "web", UnitState.INACTIVE, true), vm(d, "db", UnitState.INACTIVE, false));
        assertThat(Planner.plan(d, w, PlanOptions.running().withIntent(Intent.SUSPENDED)).hasChanges()).isFalse();
        assertThat(Planner.plan(d, w, PlanOptions.running().withIntent(Intent.STOPPED)).hasChanges()).isFalse();
        assertThat(ids(Planner.plan(d, w, PlanOptions.running().withIntent(Intent.ABSENT))))
                .contains("remove:vm.web", "remove:vm.db");
    }

    @Test
    void aPlanChangesWhenAVmGetsSuspended() throws Exception {
        DesiredState d = desired(TWO_VMS);
        Plan stopped = Planner.plan(d, world(vm(d, "web", UnitState.INACTIVE, false), vm(d, "db", UnitState.ACTIVE, false)),
                PlanOptions.running());
        Plan suspended = Planner.plan(d, world(vm(d, "web", UnitState.INACTIVE, true), vm(d, "db", UnitState.ACTIVE, false)),
                PlanOptions.running());
        assertThat(suspended.fingerprint()).as("a saved plan to boot must not resume, nor the other way round")
                .isNotEqualTo(stopped.fingerprint());
    }

    private static Map<String, String> withField(Map<String, String> fields, String key, String value) {
        Map<String, String> out = new LinkedHashMap<>(fields);
        out.put(key, value);
        return out;
    }
}
