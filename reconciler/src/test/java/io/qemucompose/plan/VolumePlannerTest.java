package io.qemucompose.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qemucompose.desired.DesiredState;
import io.qemucompose.desired.DesiredStates;
import io.qemucompose.observe.ObservedVm;
import io.qemucompose.observe.ObservedWorld;
import io.qemucompose.observe.UnitState;
import io.qemucompose.spec.ComposeFiles;
import io.qemucompose.spec.ComposeLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Named volumes in plans: created before the VMs that mount them, grown, never shrunk, never shared rw. */
class VolumePlannerTest {

    private static final String IMAGE = "https://example.org/debian-12.qcow2";

    @TempDir
    Path dir;

    private DesiredState desired(String dataSize, String webMount, String dbMount) throws Exception {
        Path file = dir.resolve("qemu-compose.yaml");
        Files.writeString(file, """
                volumes:
                  data:
                    size: %s
                vms:
                  web:
                    image: %s
                    volumes: ["%s"]
                  db:
                    image: %s
                    volumes: ["%s"]
                """.formatted(dataSize, IMAGE, webMount, IMAGE, dbMount));
        return DesiredStates.of(new ComposeLoader(Map.of())
                .load(ComposeFiles.locate(List.of(file.toString()), Map.of(), dir), Optional.of("demo")));
    }

    private static ObservedWorld world(Map<String, Long> volumes, ObservedVm... vms) {
        Map<String, ObservedVm> m = new LinkedHashMap<>();
        for (ObservedVm vm : vms) {
            m.put(vm.name(), vm);
        }
        return new ObservedWorld(m, Set.of(IMAGE), true, volumes);
    }

    private static ObservedVm running(DesiredState d, String vm) {
        return new ObservedVm(vm, true, true, UnitState.ACTIVE, d.vms().get(vm).fieldValues(), Optional.of(2222));
    }

    private static ObservedVm stopped(DesiredState d, String vm) {
        return new ObservedVm(vm, true, true, UnitState.INACTIVE, d.vms().get(vm).fieldValues(), Optional.of(2223));
    }

    @Test
    void aMissingVolumeIsCreatedBeforeTheVmThatMountsItStarts() throws Exception {
        DesiredState d = desired("64M", "data:/srv/data", "data:/srv/ro:ro");
        Plan plan = Planner.plan(d, world(Map.of()), PlanOptions.running().withSelected(List.of("web")));
        assertThat(plan.actions()).contains(new Action.CreateVolume("data", 64L << 20));
        Action start = plan.actions().stream().filter(a -> a.id().toString().equals("start:vm.web")).findFirst().orElseThrow();
        assertThat(ids(start.dependsOn())).contains("ensure:volume.data");
        assertThat(PlanRenderer.text(plan)).contains("# volume.data will be created", "size = \"64 MiB\"");
    }

    @Test
    void anExistingVolumeOfTheRightSizeNeedsNoAction() throws Exception {
        DesiredState d = desired("64M", "data:/srv/data", "data:/srv/ro:ro");
        Plan plan = Planner.plan(d, world(Map.of("data", 64L << 20), running(d, "web"), stopped(d, "db")),
                PlanOptions.running().withSelected(List.of("web")));
        assertThat(plan.actions()).isEmpty();
    }

    @Test
    void twoRunningVmsWritingOneVolumeAreRefused() throws Exception {
        DesiredState d = desired("64M", "data:/srv/data", "data:/var/lib/db");
        assertThatThrownBy(() -> Planner.plan(d, world(Map.of("data", 64L << 20)), PlanOptions.running()))
                .isInstanceOf(PlanRefusedException.class)
                .hasMessageContaining("volume 'data' would be used by web (read-write) and db (read-write) at once")
                .hasMessageContaining("not a cluster file system");
    }

    @Test
    void startingASecondWriterWhileTheFirstRunsIsRefusedButAfterItStoppedIsNot() throws Exception {
        DesiredState d = desired("64M", "data:/srv/data", "data:/var/lib/db");
        PlanOptions upDb = PlanOptions.running().withSelected(List.of("db"));
        assertThatThrownBy(() -> Planner.plan(d, world(Map.of("data", 64L << 20), running(d, "web")), upDb))
                .isInstanceOf(PlanRefusedException.class).hasMessageContaining("web (read-write) and db (read-write)");
        Plan plan = Planner.plan(d, world(Map.of("data", 64L << 20), stopped(d, "web")), upDb);
        assertThat(plan.actions()).anyMatch(a -> a.id().toString().equals("start:vm.db"));
    }

    @Test
    void aReaderBesideARunningWriterIsRefusedToo() throws Exception {
        DesiredState d = desired("64M", "data:/srv/data", "data:/srv/ro:ro");
        assertThatThrownBy(() -> Planner.plan(d, world(Map.of("data", 64L << 20)), PlanOptions.running()))
                .isInstanceOf(PlanRefusedException.class).hasMessageContaining("web (read-write) and db (read-only)");
    }

    @Test
    void readOnlyUsersMayShareAVolume() throws Exception {
        DesiredState d = desired("64M", "data:/srv/data:ro", "data:/var/lib/db:ro");
        Plan plan = Planner.plan(d, world(Map.of("data", 64L << 20)), PlanOptions.running());
        assertThat(plan.actions()).anyMatch(a -> a.id().toString().equals("start:vm.web")).anyMatch(a -> a.id().toString().equals("start:vm.db"));
    }

    @Test
    void growingAVolumeStopsItsRunningUserFirstAndRestartsIt() throws Exception {
        DesiredState before = desired("64M", "data:/srv/data", "data:/srv/ro:ro");
        ObservedVm web = running(before, "web");
        DesiredState after = desired("128M", "data:/srv/data", "data:/srv/ro:ro");
        Plan plan = Planner.plan(after, world(Map.of("data", 64L << 20), web), PlanOptions.running().withSelected(List.of("web")));
        Action grow = plan.actions().stream().filter(a -> a.id().toString().equals("ensure:volume.data")).findFirst().orElseThrow();
        assertThat(grow).isEqualTo(new Action.GrowVolume("data", 64L << 20, 128L << 20, List.of(io.qemucompose.plan.ActionId.vm(io.qemucompose.plan.ActionId.Step.STOP, "web"))));
        assertThat(plan.changes()).anyMatch(c -> c.name().equals("web") && c.kind() == ResourceChange.Kind.RESTART
                && c.fields().stream().anyMatch(f -> f.field().equals("volumes")));
        assertThat(plan.actions().stream().filter(a -> a.id().toString().equals("start:vm.web")).findFirst().orElseThrow().dependsOn().stream().map(Object::toString).toList())
                .contains("ensure:volume.data");
    }

    @Test
    void shrinkingAVolumeIsRefused() throws Exception {
        DesiredState d = desired("32M", "data:/srv/data", "data:/srv/ro:ro");
        assertThatThrownBy(() -> Planner.plan(d, world(Map.of("data", 64L << 20)),
                PlanOptions.running().withSelected(List.of("web"))))
                .isInstanceOf(PlanRefusedException.class)
                .hasMessageContaining("cannot shrink volume 'data' from 64M to 32M");
    }

    @Test
    void stopAndDestroyNeverTouchVolumes() throws Exception {
        DesiredState d = desired("64M", "data:/srv/data", "data:/srv/ro:ro");
        ObservedWorld w = world(Map.of("data", 64L << 20), running(d, "web"));
        for (Intent intent : List.of(Intent.STOPPED, Intent.ABSENT)) {
            Plan plan = Planner.plan(d, w, PlanOptions.running().withIntent(intent));
            assertThat(plan.actions()).noneMatch(a -> a instanceof Action.CreateVolume || a instanceof Action.GrowVolume);
        }
    }

    private static List<String> ids(List<ActionId> ids) {
        return ids.stream().map(ActionId::toString).toList();
    }
}
