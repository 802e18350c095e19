package io.qemucompose.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qemucompose.driver.Drivers;
import io.qemucompose.driver.image.ImageCache;
import io.qemucompose.driver.image.QemuImg;
import io.qemucompose.driver.kvm.Accelerator;
import io.qemucompose.driver.net.PortLeases;
import io.qemucompose.driver.systemd.ActiveState;
import io.qemucompose.driver.systemd.SystemdException;
import io.qemucompose.fakes.FakeUnitManager;
import io.qemucompose.spec.ComposeLoader;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.ComposeSource;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.ProjectState;
import io.qemucompose.state.StateStore;
import io.qemucompose.status.VmState;
import io.qemucompose.status.VmStatus;
import io.qemucompose.status.VmStatusProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one reader of the world, on an in-memory service manager: plan and ps see the same facts. */
class WorldObserverTest {

    @TempDir
    Path dir;

    private ComposeProject project() throws Exception {
        Files.writeString(dir.resolve("qemu-compose.yaml"), """
                vms:
                  web:
                    image: https://example.org/debian-12.qcow2
                  db:
                    image: https://example.org/debian-12.qcow2
                """);
        return new ComposeLoader(Map.of()).load(ComposeSource.of(dir.resolve("qemu-compose.yaml")), Optional.of("shop"));
    }

    private Drivers drivers(FakeUnitManager units) {
        return new Drivers(Map.of(), new ImageCache(dir.resolve("cache")), new QemuImg(), new PortLeases(dir.resolve("ports")),
                () -> units, () -> Accelerator.TCG);
    }

    /** An instance folder with an overlay file (not a real qcow2: only its presence is observed here). */
    private void instance(String vm) throws Exception {
        ProjectLayout layout = new ProjectLayout(dir);
        Files.createDirectories(layout.vmDir(vm));
        Files.write(layout.overlayDisk(vm), new byte[0]);
    }

    @Test
    void unitsInstancesRecordsAndOrphansAreObservedOnce() throws Exception {
        ComposeProject project = project();
        instance("web");
        instance("old");
        new StateStore(new ProjectLayout(dir)).update(s -> s.withVm("web",
                ProjectState.VmRecord.created(Instant.EPOCH).withSshPort(2300).withApplied(Map.of("cpu", "1"))));
        FakeUnitManager units = new FakeUnitManager()
                .with("qemu-compose-shop-web.service", ActiveState.ACTIVE)
                .with("qemu-compose-shop-old.service", ActiveState.FAILED)
                .with("qemu-compose-other-web.service", ActiveState.ACTIVE);
        try (Drivers drivers = drivers(units)) {
            ObservedWorld world = new WorldObserver(drivers).observe(project);
            assertThat(world.vms().keySet()).containsExactly("web", "db", "old");
            assertThat(world.vm("web").unit()).isEqualTo(UnitState.ACTIVE);
            assertThat(world.vm("web").sshPort()).contains(2300);
            assertThat(world.vm("web").applied()).containsEntry("cpu", "1");
            assertThat(world.vm("db").exists()).isFalse();
            assertThat(world.vm("old").unit()).isEqualTo(UnitState.FAILED);

            List<VmStatus> rows = new VmStatusProbe(drivers).probe(project,
                    new VmStatusProbe.Options(false, java.time.Duration.ofSeconds(1), true, java.util.Set.of()));
            assertThat(rows).extracting(VmStatus::name).containsExactly("web", "db", "old");
            assertThat(rows).extracting(VmStatus::state).containsExactly(VmState.ACTIVE, VmState.NOT_CREATED, VmState.FAILED);
            assertThat(rows.getFirst().unit()).isEqualTo("qemu-compose-shop-web");
        }
    }

    @Test
    void aPlanNeedsTheServiceManagerButPsToleratesItsAbsence() throws Exception {
        ComposeProject project = project();
        instance("web");
        try (Drivers drivers = drivers(new FakeUnitManager().unreachable())) {
            assertThatThrownBy(() -> new WorldObserver(drivers).observe(project)).isInstanceOf(SystemdException.class);
            WorldObserver.Instances tolerant = new WorldObserver(drivers).instances(project, true);
            assertThat(tolerant.units()).isEmpty();
            assertThat(new VmStatusProbe(drivers).probe(project, VmStatusProbe.Options.defaults()))
                    .extracting(VmStatus::state).containsExactly(VmState.UNKNOWN, VmState.NOT_CREATED);
        }
    }

    @Test
    void aUnitOfTheSameNameStartedByAnotherFolderIsSeenAndThePlanIsRefused() throws Exception {
        ComposeProject project = project();
        FakeUnitManager units = new FakeUnitManager()
                .withActive("qemu-compose-shop-web.service", new io.qemucompose.driver.systemd.ServiceSettings(
                        Map.of(UnitOwners.PROJECT_DIR_ENV, "/srv/other/shop"), Optional.empty()));
        try (Drivers drivers = drivers(units)) {
            ObservedWorld world = new WorldObserver(drivers).observe(project);
            assertThat(world.foreignUnits()).containsOnlyKeys("web");
            assertThatThrownBy(() -> io.qemucompose.plan.Planner.plan(io.qemucompose.desired.DesiredStates.of(project), world,
                    io.qemucompose.plan.PlanOptions.running()))
                    .hasMessageContaining("vms.web: the unit qemu-compose-shop-web.service runs VM 'web' of the project in"
                            + " /srv/other/shop")
                    .hasMessageContaining("-p NAME");
            units.withActive("qemu-compose-shop-db.service", new io.qemucompose.driver.systemd.ServiceSettings(
                    Map.of(UnitOwners.PROJECT_DIR_ENV, dir.toString()), Optional.empty()));
            assertThat(new WorldObserver(drivers).observe(project).foreignUnits()).as("our own unit is ours")
                    .doesNotContainKey("db");
        }
    }
}
