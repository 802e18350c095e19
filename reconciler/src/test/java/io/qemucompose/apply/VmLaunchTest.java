package io.qemucompose.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.desired.DesiredStates;
import io.qemucompose.driver.Drivers;
import io.qemucompose.driver.image.ImageCache;
import io.qemucompose.driver.image.QemuImg;
import io.qemucompose.driver.kvm.Accelerator;
import io.qemucompose.driver.net.PortLeases;
import io.qemucompose.driver.systemd.ControlCommand;
import io.qemucompose.driver.systemd.Journald;
import io.qemucompose.driver.systemd.TransientUnit;
import io.qemucompose.fakes.FakeUnitManager;
import io.qemucompose.spec.ComposeLoader;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.ComposeSource;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.StateStore;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmLaunchTest {

    @TempDir
    Path dir;

    @Test
    void asRootTheGuestsOwnersAndModesAreNeverAppliedToHostFiles() {
        // passthrough as root: the guest's root could create set-uid root files on the host
        assertThat(VmLaunch.securityModel(true)).isEqualTo("mapped-xattr");
    }

    @Test
    void asAUserHostOwnershipIsShownAsItIs() {
        assertThat(VmLaunch.securityModel(false)).isEqualTo("none");
    }

    @Test
    void whereJournaldRunsTheUnitCopiesQemusOutputAndTheConsoleToTheJournal() throws Exception {
        Path socket = dir.resolve("stdout");
        try (var journald = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            journald.bind(UnixDomainSocketAddress.of(socket));
            TransientUnit unit = unit(Map.of(), new Journald(socket));

            ProjectLayout layout = new ProjectLayout(dir);
            assertThat(unit.execStartPre()).singleElement().satisfies(start -> {
                assertThat(start.ignoreFailure()).isTrue();
                assertThat(start.argv()).containsSubsequence(socket.toString(),
                        layout.journalFollowerPidFile("web").toString(),
                        layout.unitLog("web").toString(), "true", layout.consoleLog("web").toString(), "web");
            });
            assertThat(unit.execStopPost()).singleElement().extracting(ControlCommand::argv)
                    .satisfies(argv -> assertThat(argv).endsWith(layout.journalFollowerPidFile("web").toString()));
            // the files stay the record `logs` reads
            assertThat(unit.standardOutput()).isEqualTo(unit.standardError());
            assertThat(unit.standardOutput().orElseThrow().toString()).contains(layout.unitLog("web").toString());

            assertThat(unit(Map.of(Journald.ENV, "off"), new Journald(socket)).execStartPre())
                    .as("QEMU_COMPOSE_JOURNAL=off").isEmpty();
        }
    }

    @Test
    void withoutJournaldTheUnitIsAsBefore() throws Exception {
        TransientUnit unit = unit(Map.of(), new Journald(dir.resolve("no-journald")));
        assertThat(unit.execStartPre()).isEmpty();
        assertThat(unit.execStopPost()).isEmpty();
    }

    @Test
    void aCliThatCannotSeeTheManagersJournaldCanStillAskForTheCopy() throws Exception {
        // QEMU_COMPOSE_JOURNAL=on: the unit checks for journald's socket itself, from where it runs
        TransientUnit unit = unit(Map.of(Journald.ENV, "on"), new Journald(dir.resolve("not-visible-here")));
        assertThat(unit.execStartPre()).singleElement().satisfies(start ->
                assertThat(start.argv()).contains(dir.resolve("not-visible-here").toString()));
        assertThat(unit.execStopPost()).hasSize(1);
    }

    private TransientUnit unit(Map<String, String> env, Journald journald) throws Exception {
        Files.writeString(dir.resolve("qemu-compose.yaml"), "vms:\n  web:\n    image: https://example.org/d.qcow2\n");
        ComposeProject project = new ComposeLoader(Map.of())
                .load(ComposeSource.of(dir.resolve("qemu-compose.yaml")), Optional.of("shop"));
        ProjectLayout layout = new ProjectLayout(dir);
        var environment = new java.util.HashMap<>(env);
        environment.put("QEMU_COMPOSE_QEMU", "/bin/true");
        try (Drivers drivers = new Drivers(environment, new ImageCache(dir.resolve("cache")), new QemuImg(),
                new PortLeases(dir.resolve("ports")), FakeUnitManager::new, () -> Accelerator.TCG).journald(journald)) {
            var ctx = new ApplyContext(project, DesiredStates.of(project), layout, new StateStore(layout), drivers,
                    line -> { }, Duration.ofSeconds(1));
            var vm = ctx.vm("web");
            return VmLaunch.unit(ctx, vm, VmLaunch.runtimeSpec(ctx, vm, 2222));
        }
    }
}
