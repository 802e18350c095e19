package io.qemucompose.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qemucompose.desired.DesiredState;
import io.qemucompose.observe.ObservedVm;
import io.qemucompose.observe.ObservedWorld;
import io.qemucompose.observe.UnitState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import io.qemucompose.golden.GoldenFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The diff and its rendering, without any process: golden files under resources/plan/. */
class PlannerTest {

    private static final String TWO_VMS = """
            vms:
              web:
                image: https://example.org/debian-12.qcow2
                cpu: 2
                memory: 1024
                disk:
                  size: 10G
                depends_on: [db]
              db:
                image: https://example.org/debian-12.qcow2
                memory: 2048
            """;

    @TempDir
    Path dir;

    private DesiredState desired(String yaml) throws Exception {
        return PlanFixtures.desired(dir, yaml);
    }

    private static ObservedWorld world(ObservedVm... vms) {
        return PlanFixtures.world(vms);
    }

    private static ObservedVm running(DesiredState d, String vm, int port) {
        return new ObservedVm(vm, true, true, UnitState.ACTIVE, d.vms().get(vm).fieldValues(), Optional.of(port));
    }

    /** Compares with src/test/resources/plan/NAME; {@code -Dgolden.update=true} rewrites the file. */
    private static void assertGolden(String name, String actual) {
        GoldenFile.assertMatches(Path.of("src/test/resources/plan", name), actual);
    }

    @Test
    void aFreshProjectCreatesEveryVm() throws Exception {
        DesiredState d = desired(TWO_VMS);
        ObservedWorld w = new ObservedWorld(Map.of(), Set.of(), false);
        Plan plan = Planner.plan(d, w, PlanOptions.running().withWaitReady(true));
        assertGolden("create-two.txt", PlanRenderer.text(plan));
        assertThat(plan.toAdd()).isEqualTo(2);
        Action startWeb = plan.actions().stream().filter(a -> a.id().toString().equals("start:vm.web")).findFirst().orElseThrow();
        assertThat(ids(startWeb.dependsOn())).contains("overlay:vm.web", "seed:vm.web", "lease-port:vm.web", "start:vm.db");
        assertThat(plan.actions()).extracting(a -> a.id().toString())
                .containsOnlyOnce("pull:image.https://example.org/debian-12.qcow2", "ssh-key:project.project")
                .contains("ready:vm.web", "ready:vm.db");
    }

    @Test
    void aConvergedProjectHasNoChanges() throws Exception {
        DesiredState d = desired(TWO_VMS);
        Plan plan = Planner.plan(d, world(running(d, "web", 2222), running(d, "db", 2223)), PlanOptions.running());
        assertThat(plan.hasChanges()).isFalse();
        assertThat(PlanRenderer.text(plan)).isEqualTo("No changes. The VMs match the compose file.\n");
    }

    @Test
    void upWaitsForRunningUnchangedVmsWithoutCountingThatAsAChange() throws Exception {
        DesiredState d = desired(TWO_VMS);
        ObservedWorld w = world(running(d, "web", 2222), running(d, "db", 2223));
        Plan plan = Planner.plan(d, w, PlanOptions.running().withWaitReady(true));
        assertThat(plan.actions()).extracting(a -> a.id().toString()).containsExactly("ready:vm.web", "ready:vm.db");
        assertThat(plan.hasChanges()).isFalse();
        assertThat(PlanRenderer.text(plan)).isEqualTo("No changes. The VMs match the compose file.\n");
        assertThat(plan.fingerprint()).as("waiting is not part of what a saved plan pins")
                .isEqualTo(Planner.plan(d, w, PlanOptions.running()).fingerprint());
    }

    @Test
    void aMemoryChangeRestartsThatVmOnly() throws Exception {
        DesiredState before = desired(TWO_VMS);
        ObservedWorld w = world(running(before, "web", 2222), running(before, "db", 2223));
        DesiredState after = desired(TWO_VMS.replace("memory: 1024", "memory: 1536"));
        Plan plan = Planner.plan(after, w, PlanOptions.running());
        assertGolden("restart-memory.txt", PlanRenderer.text(plan));
        assertThat(plan.actions()).extracting(Action::vm).containsOnly("web");
        assertThat(plan.actions()).extracting(a -> a.id().toString()).contains("stop:vm.web", "start:vm.web");
    }

    @Test
    void anImageChangeForcesReplacement() throws Exception {
        DesiredState before = desired(TWO_VMS);
        ObservedWorld w = world(running(before, "web", 2222), running(before, "db", 2223));
        DesiredState after = desired(TWO_VMS.replaceFirst("debian-12", "debian-13"));
        Plan plan = Planner.plan(after, w, PlanOptions.running());
        assertGolden("replace-image.txt", PlanRenderer.text(plan));
        Action overlay = plan.actions().stream().filter(a -> a.id().toString().equals("overlay:vm.web")).findFirst().orElseThrow();
        assertThat(ids(overlay.dependsOn())).contains("remove:vm.web", "pull:image.https://example.org/debian-13.qcow2");
    }

    @Test
    void aStoppedVmIsStartedWithoutRebuildingIt() throws Exception {
        DesiredState d = desired(TWO_VMS);
        ObservedVm stopped = new ObservedVm("db", true, true, UnitState.INACTIVE, d.vms().get("db").fieldValues(),
                Optional.of(2223));
        Plan plan = Planner.plan(d, world(running(d, "web", 2222), stopped), PlanOptions.running());
        assertThat(plan.changes()).extracting(ResourceChange::kind).containsExactly(ResourceChange.Kind.START);
        assertThat(plan.actions()).extracting(a -> a.id().toString()).containsExactly("start:vm.db");
        assertThat(plan.toChange()).isEqualTo(1);
    }

    @Test
    void orphansAreReportedAndDestroyedOnlyWhenAsked() throws Exception {
        DesiredState d = desired(TWO_VMS);
        ObservedVm old = new ObservedVm("old", true, true, UnitState.ACTIVE, Map.of("cpu", "1"), Optional.of(2230));
        ObservedWorld w = world(running(d, "web", 2222), running(d, "db", 2223), old);
        Plan report = Planner.plan(d, w, PlanOptions.running());
        assertThat(report.hasChanges()).isFalse();
        assertThat(PlanRenderer.text(report)).contains("# vm.old is orphaned").contains("--remove-orphans");
        Plan remove = Planner.plan(d, w, PlanOptions.running().withRemoveOrphans(true));
        assertGolden("remove-orphan.txt", PlanRenderer.text(remove));
    }

    @Test
    void shrinkingADiskIsRefusedWithTheFieldNamed() throws Exception {
        DesiredState before = desired(TWO_VMS);
        ObservedWorld w = world(running(before, "web", 2222), running(before, "db", 2223));
        DesiredState after = desired(TWO_VMS.replace("size: 10G", "size: 5G"));
        assertThatThrownBy(() -> Planner.plan(after, w, PlanOptions.running()))
                .isInstanceOf(PlanRefusedException.class)
                .hasMessage("vms.web.disk.size: cannot shrink the disk of 'web' from 10 GiB to 5 GiB (data would be lost);"
                        + " destroy the VM first or keep 10 GiB");
    }

    @Test
    void growingADiskResizesAfterStopping() throws Exception {
        DesiredState before = desired(TWO_VMS);
        ObservedWorld w = world(running(before, "web", 2222), running(before, "db", 2223));
        Plan plan = Planner.plan(desired(TWO_VMS.replace("size: 10G", "size: 20G")), w, PlanOptions.running());
        Action resize = plan.actions().stream().filter(a -> a.id().toString().equals("resize:vm.web")).findFirst().orElseThrow();
        assertThat(ids(resize.dependsOn())).containsExactly("stop:vm.web");
        assertThat(((Action.ResizeOverlay) resize).bytes()).isEqualTo(20L << 30);
    }

    @Test
    void destroyStopsAtOnceThenRemoves() throws Exception {
        DesiredState d = desired(TWO_VMS);
        ObservedWorld w = world(running(d, "web", 2222), running(d, "db", 2223));
        Plan plan = Planner.plan(d, w, PlanOptions.running().withIntent(Intent.ABSENT).withSelected(List.of("web")));
        assertThat(plan.actions()).extracting(a -> a.id().toString()).containsExactly("stop:vm.web", "remove:vm.web");
        assertThat(((Action.StopVm) plan.actions().get(0)).force()).isTrue();
        assertThat(plan.toDestroy()).isEqualTo(1);
    }

    @Test
    void upOfOneVmBringsItsDependenciesToo() throws Exception {
        DesiredState d = desired(TWO_VMS);
        Plan plan = Planner.plan(d, new ObservedWorld(Map.of(), Set.of(), true),
                PlanOptions.running().withSelected(List.of("web")));
        assertThat(plan.changes()).extracting(ResourceChange::name).containsExactly("web", "db");
    }

    @Test
    void anUnknownVmNameIsAClearError() throws Exception {
        DesiredState d = desired(TWO_VMS);
        assertThatThrownBy(() -> Planner.plan(d, world(), PlanOptions.running().withSelected(List.of("wbe"))))
                .hasMessage("no VM named wbe in the compose file (VMs: web, db)");
    }

    @Test
    void theFingerprintChangesWhenTheWorldDoes() throws Exception {
        DesiredState d = desired(TWO_VMS);
        Plan a = Planner.plan(d, world(running(d, "web", 2222)), PlanOptions.running());
        Plan b = Planner.plan(d, world(running(d, "web", 2222)), PlanOptions.running());
        Plan c = Planner.plan(d, world(running(d, "web", 2222), running(d, "db", 2223)), PlanOptions.running());
        assertThat(a.fingerprint()).isEqualTo(b.fingerprint()).isNotEqualTo(c.fingerprint());
    }

    @Test
    void jsonNamesEveryChangeAndAction() throws Exception {
        DesiredState d = desired(TWO_VMS);
        Plan plan = Planner.plan(d, new ObservedWorld(Map.of(), Set.of(), true), PlanOptions.running());
        Map<String, Object> tree = PlanRenderer.readJson(PlanRenderer.json(plan));
        assertThat(tree).containsEntry("project", "demo").containsEntry("fingerprint", plan.fingerprint());
        assertThat(tree.get("summary")).isEqualTo(Map.of("add", 2, "change", 0, "destroy", 0));
    }

    @Test
    void aSavedPlanCarriesTheOptionsItWasMadeWith() throws Exception {
        DesiredState d = desired(TWO_VMS);
        PlanOptions options = PlanOptions.running().withSelected(List.of("db")).withRemoveOrphans(true);
        Plan plan = Planner.plan(d, new ObservedWorld(Map.of(), Set.of(), true), options);
        PlanOptions back = PlanRenderer.optionsFrom(PlanRenderer.readJson(PlanRenderer.json(plan)));
        assertThat(back).isEqualTo(options);
        assertThat(Planner.plan(d, new ObservedWorld(Map.of(), Set.of(), true), back).fingerprint())
                .isEqualTo(plan.fingerprint());
    }

    private static List<String> ids(List<ActionId> ids) {
        return ids.stream().map(ActionId::toString).toList();
    }
}
