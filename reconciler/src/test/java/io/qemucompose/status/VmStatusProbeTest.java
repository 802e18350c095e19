package io.qemucompose.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.Drivers;
import io.qemucompose.driver.image.ImageCache;
import io.qemucompose.driver.image.QemuImg;
import io.qemucompose.driver.kvm.Accelerator;
import io.qemucompose.driver.net.PortLeases;
import io.qemucompose.driver.systemd.SystemdException;
import io.qemucompose.spec.ComposeLoader;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.ComposeSource;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What ps says when systemd cannot be asked: nothing is guessed about instances that exist. */
class VmStatusProbeTest {

    @TempDir
    Path dir;

    @Test
    void withoutSystemdExistingInstancesAreUnknownAndOthersNotCreated() throws Exception {
        Files.writeString(dir.resolve("qemu-compose.yaml"), """
                name: p
                vms:
                  made:
                    image: ./base.qcow2
                  never:
                    image: ./base.qcow2
                """);
        Path overlay = Files.createDirectories(dir.resolve(".qemu-compose/made")).resolve("disk.qcow2");
        ByteBuffer header = ByteBuffer.allocate(64).putInt(0, 0x514649fb).putInt(4, 3).putLong(24, 3L << 30);
        Files.write(overlay, header.array());
        ComposeProject project = new ComposeLoader(Map.of()).load(ComposeSource.of(dir.resolve("qemu-compose.yaml")),
                Optional.empty());
        try (Drivers drivers = new Drivers(Map.of(), new ImageCache(dir.resolve("cache")), new QemuImg(),
                new PortLeases(dir.resolve("ports")), () -> {
                    throw new SystemdException("no bus");
                }, () -> Accelerator.TCG)) {
            List<VmStatus> rows = new VmStatusProbe(drivers).probe(project, VmStatusProbe.Options.defaults());
            assertThat(rows).extracting(VmStatus::name).containsExactly("made", "never");
            assertThat(rows.get(0).state()).isEqualTo(VmState.UNKNOWN);
            assertThat(rows.get(0).detail()).contains("systemd");
            assertThat(rows.get(0).diskBytes()).hasValue(3L << 30);
            assertThat(rows.get(1).state()).isEqualTo(VmState.NOT_CREATED);
            assertThat(rows.get(1).diskBytes()).isEmpty();
            assertThat(new VmStatusProbe(drivers).probe(project, VmStatusProbe.Options.defaults().only(Set.of("never"))))
                    .extracting(VmStatus::name).containsExactly("never");
        }
    }

    @Test
    void aRunningUnitOfAnotherFolderWithTheSameProjectNameIsNotShownAsOurs() throws Exception {
        Files.writeString(dir.resolve("qemu-compose.yaml"), """
                name: app
                vms:
                  web:
                    image: ./base.qcow2
                """);
        Path other = dir.resolveSibling(dir.getFileName() + "-other").resolve("app");
        var units = new io.qemucompose.fakes.FakeUnitManager();
        units.withActive("qemu-compose-app-web.service", new io.qemucompose.driver.systemd.ServiceSettings(
                Map.of("QEMU_COMPOSE_PROJECT_DIR", other.toString()), Optional.empty()));
        ComposeProject project = new ComposeLoader(Map.of()).load(ComposeSource.of(dir.resolve("qemu-compose.yaml")),
                Optional.empty());
        try (Drivers drivers = new Drivers(Map.of(), new ImageCache(dir.resolve("cache")), new QemuImg(),
                new PortLeases(dir.resolve("ports")), () -> units, () -> Accelerator.TCG)) {
            List<VmStatus> rows = new VmStatusProbe(drivers).probe(project, VmStatusProbe.Options.defaults());
            assertThat(rows).singleElement().satisfies(row -> {
                assertThat(row.state()).isEqualTo(VmState.NOT_CREATED);
                assertThat(row.detail()).contains("belongs to the project in " + other, "-p NAME");
            });
        }
    }

    @Test
    void aRunningGuestWithoutCloudInitThatSshDoesNotLetInIsActiveWithTheReasonWhileLinuxIsStarting() throws Exception {
        Files.writeString(dir.resolve("qemu-compose.yaml"), """
                name: p
                vms:
                  bsd:
                    image: ./freebsd.qcow2
                    os: freebsd
                  linux:
                    image: ./base.qcow2
                """);
        var layout = new io.qemucompose.state.ProjectLayout(dir);
        io.qemucompose.driver.ssh.SshKeyPair.ensure(layout.sshPrivateKey());
        var units = new io.qemucompose.fakes.FakeUnitManager();
        int port;
        try (var free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort(); // closed again: nothing answers there
        }
        for (String vm : List.of("bsd", "linux")) {
            Files.createDirectories(layout.vmDir(vm));
            Files.write(layout.overlayDisk(vm), ByteBuffer.allocate(64).putInt(0, 0x514649fb).putInt(4, 3).array());
            units.withActive("qemu-compose-p-" + vm + ".service", new io.qemucompose.driver.systemd.ServiceSettings(
                    Map.of("QEMU_COMPOSE_PROJECT_DIR", dir.toAbsolutePath().normalize().toString()), Optional.empty()));
            new io.qemucompose.state.StateStore(layout).update(s -> s.withVm(vm,
                    io.qemucompose.state.ProjectState.VmRecord.created(java.time.Instant.now()).withSshPort(port)));
        }
        ComposeProject project = new ComposeLoader(Map.of()).load(ComposeSource.of(dir.resolve("qemu-compose.yaml")),
                Optional.empty());
        try (Drivers drivers = new Drivers(Map.of(), new ImageCache(dir.resolve("cache")), new QemuImg(),
                new PortLeases(dir.resolve("ports")), () -> units, () -> Accelerator.TCG)) {
            List<VmStatus> rows = new VmStatusProbe(drivers).probe(project, VmStatusProbe.Options.defaults());
            assertThat(rows).extracting(VmStatus::name).containsExactly("bsd", "linux");
            assertThat(rows.get(0).state()).isEqualTo(VmState.ACTIVE);
            assertThat(rows.get(0).detail()).contains("no SSH login as runner with the project key (SSH not answering)",
                    "freebsd image without cloud-init", "keys.img");
            assertThat(rows.get(1).state()).isEqualTo(VmState.STARTING);
            assertThat(rows.get(1).detail()).isEqualTo("SSH not answering");
        }
    }
}
