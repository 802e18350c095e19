package io.qemucompose.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qemucompose.desired.DesiredState;
import io.qemucompose.desired.DesiredStates;
import io.qemucompose.driver.Drivers;
import io.qemucompose.driver.image.ImageCache;
import io.qemucompose.driver.image.QemuImg;
import io.qemucompose.driver.kvm.Accelerator;
import io.qemucompose.driver.net.PortLeases;
import io.qemucompose.driver.systemd.ActiveState;
import io.qemucompose.driver.systemd.ServiceSettings;
import io.qemucompose.fakes.FakeUnitManager;
import io.qemucompose.plan.Action;
import io.qemucompose.spec.ComposeLoader;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.ComposeSource;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.ProjectState;
import io.qemucompose.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ActionRunner's check-then-act logic on an in-memory service manager (no QEMU runs). */
class ActionRunnerTest {

    @TempDir
    Path dir;

    private final FakeUnitManager units = new FakeUnitManager();
    private final List<String> progress = new CopyOnWriteArrayList<>();

    private ApplyContext context(Drivers drivers) throws Exception {
        return context(drivers, """
                vms:
                  web:
                    image: https://example.org/debian-12.qcow2
                    memory: 512
                """);
    }

    private ApplyContext context(Drivers drivers, String compose) throws Exception {
        Files.writeString(dir.resolve("qemu-compose.yaml"), compose);
        ComposeProject project = new ComposeLoader(Map.of())
                .load(ComposeSource.of(dir.resolve("qemu-compose.yaml")), Optional.of("shop"));
        DesiredState desired = DesiredStates.of(project);
        ProjectLayout layout = new ProjectLayout(dir);
        return new ApplyContext(project, desired, layout, new StateStore(layout), drivers, progress::add,
                Duration.ofSeconds(1));
    }

    private Drivers drivers() {
        return new Drivers(Map.of("QEMU_COMPOSE_QEMU", "/bin/true"), new ImageCache(dir.resolve("cache")), new QemuImg(),
                new PortLeases(dir.resolve("ports")), () -> units, () -> Accelerator.TCG);
    }

    @Test
    void startRecordsTheSettingsFirstThenStartsOneUnitAndAdoptsItTheSecondTime() throws Exception {
        try (Drivers drivers = drivers()) {
            ApplyContext ctx = context(drivers);
            ctx.state().update(s -> s.withVm("web", ProjectState.VmRecord.created(Instant.EPOCH).withSshPort(2400)));
            ActionRunner runner = new ActionRunner(ctx);
            runner.run(new Action.StartVm("web", List.of()));
            assertThat(units.started()).hasSize(1);
            assertThat(units.started().getFirst().name()).isEqualTo("qemu-compose-shop-web.service");
            assertThat(ctx.state().read().vm("web").orElseThrow().applied()).containsEntry("memory", "512M");

            runner.run(new Action.StartVm("web", List.of()));
            assertThat(units.started()).as("an active unit is adopted, not started twice").hasSize(1);
        }
    }

    @Test
    void anActiveUnitOfAnotherFolderWithTheSameProjectNameIsNotAdopted() throws Exception {
        Path other = dir.resolveSibling(dir.getFileName() + "-other").resolve("shop");
        units.withActive("qemu-compose-shop-web.service", new ServiceSettings(
                Map.of("QEMU_COMPOSE_PROJECT_DIR", other.toString()), Optional.of(other.resolve(".qemu-compose/web"))));
        try (Drivers drivers = drivers()) {
            ApplyContext ctx = context(drivers);
            ctx.state().update(s -> s.withVm("web", ProjectState.VmRecord.created(Instant.EPOCH).withSshPort(2400)));
            assertThatThrownBy(() -> new ActionRunner(ctx).run(new Action.StartVm("web", List.of())))
                    .isInstanceOf(UnitOwnedElsewhereException.class)
                    .hasMessageContaining("will not adopt qemu-compose-shop-web.service")
                    .hasMessageContaining(other.toString())
                    .hasMessageContaining("-p NAME");
            assertThat(units.started()).isEmpty();
            assertThat(ctx.state().read().vm("web").orElseThrow().applied()).isEmpty();
        }
    }

    @Test
    void theUnitRecordsItsProjectFolder() throws Exception {
        try (Drivers drivers = drivers()) {
            ApplyContext ctx = context(drivers);
            ctx.state().update(s -> s.withVm("web", ProjectState.VmRecord.created(Instant.EPOCH).withSshPort(2400)));
            new ActionRunner(ctx).run(new Action.StartVm("web", List.of()));
            assertThat(units.started().getFirst().environment())
                    .containsEntry("QEMU_COMPOSE_PROJECT_DIR", dir.toAbsolutePath().normalize().toString());
        }
    }

    @Test
    void aFailedUnitIsResetBeforeItIsStartedAgain() throws Exception {
        units.with("qemu-compose-shop-web.service", ActiveState.FAILED);
        try (Drivers drivers = drivers()) {
            ApplyContext ctx = context(drivers);
            ctx.state().update(s -> s.withVm("web", ProjectState.VmRecord.created(Instant.EPOCH).withSshPort(2400)));
            new ActionRunner(ctx).run(new Action.StartVm("web", List.of()));
            assertThat(units.started()).hasSize(1);
            assertThat(units.unit("qemu-compose-shop-web.service").isActive()).isTrue();
        }
    }

    @Test
    void aLeasedPortTakenByAnotherProgramBeforeTheStartMovesToAFreeOne() throws Exception {
        var leases = new PortLeases(dir.resolve("ports"), 2400, 2410, port -> port != 2400);
        try (Drivers drivers = new Drivers(Map.of("QEMU_COMPOSE_QEMU", "/bin/true"), new ImageCache(dir.resolve("cache")),
                new QemuImg(), leases, () -> units, () -> Accelerator.TCG)) {
            ApplyContext ctx = context(drivers);
            ctx.state().update(s -> s.withVm("web", ProjectState.VmRecord.created(Instant.EPOCH).withSshPort(2400)));
            new ActionRunner(ctx).run(new Action.StartVm("web", List.of()));
            assertThat(ctx.state().read().vm("web").orElseThrow().sshPort()).isEqualTo(2401);
            assertThat(String.join(" ", units.started().getFirst().execStart())).contains("hostfwd=tcp:127.0.0.1:2401-:22");
            assertThat(progress).anyMatch(line -> line.contains("SSH port 2400 was taken by another program; moved to 2401"));
        }
    }

    @Test
    void aFixedSshPortTakenByAnotherProgramIsAClearErrorAndStartsNothing() throws Exception {
        var leases = new PortLeases(dir.resolve("ports"), 2400, 2410, port -> port != 2422);
        try (Drivers drivers = new Drivers(Map.of("QEMU_COMPOSE_QEMU", "/bin/true"), new ImageCache(dir.resolve("cache")),
                new QemuImg(), leases, () -> units, () -> Accelerator.TCG)) {
            ApplyContext ctx = context(drivers, """
                    vms:
                      web:
                        image: https://example.org/debian-12.qcow2
                        ssh:
                          port: 2422
                    """);
            ctx.state().update(s -> s.withVm("web", ProjectState.VmRecord.created(Instant.EPOCH).withSshPort(2422)));
            assertThatThrownBy(() -> new ActionRunner(ctx).run(new Action.StartVm("web", List.of())))
                    .hasMessageContaining("its ssh.port 2422 is in use on 127.0.0.1 by another program");
            assertThat(units.started()).isEmpty();
        }
    }

    @Test
    void startWithoutALeasedPortIsRefusedAndStartsNothing() throws Exception {
        try (Drivers drivers = drivers()) {
            ApplyContext ctx = context(drivers);
            assertThatThrownBy(() -> new ActionRunner(ctx).run(new Action.StartVm("web", List.of())))
                    .hasMessageContaining("no SSH port leased for web");
            assertThat(units.started()).isEmpty();
        }
    }

    @Test
    void removeDeletesTheInstanceReleasesThePortAndForgetsTheRecord() throws Exception {
        try (Drivers drivers = drivers()) {
            ApplyContext ctx = context(drivers);
            ActionRunner runner = new ActionRunner(ctx);
            runner.run(new Action.LeaseSshPort("web"));
            int port = ctx.state().read().vm("web").orElseThrow().sshPort();
            Files.createDirectories(ctx.layout().vmDir("web"));
            Files.write(ctx.layout().overlayDisk("web"), new byte[0]);
            runner.run(new Action.RemoveInstance("web", true, List.of()));
            assertThat(ctx.layout().vmDir("web")).doesNotExist();
            assertThat(ctx.state().read().vm("web")).isEmpty();
            assertThat(drivers.portLeases().acquire(dir, "other").port()).as("port %d is free again", port).isEqualTo(port);
        }
    }
}
