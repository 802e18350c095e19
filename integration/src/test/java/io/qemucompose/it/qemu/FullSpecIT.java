package io.qemucompose.it.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.net.PortLease;
import io.qemucompose.driver.net.PortLeases;
import io.qemucompose.driver.qemu.DataDisk;
import io.qemucompose.driver.qemu.HostForward;
import io.qemucompose.driver.qemu.QmpClient;
import io.qemucompose.driver.qemu.RunState;
import io.qemucompose.driver.qemu.Share;
import io.qemucompose.driver.qemu.UserNetwork;
import io.qemucompose.driver.qemu.VmRuntimeSpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Every option QemuCommandLine can produce, accepted by the real QEMU and visible through QMP. */
class FullSpecIT {

    @TempDir
    Path dir;

    @Test
    void fullArgvBootsAndQemuEnforcesReadOnlyDisksSharesAndForwards() throws Exception {
        Path data = dir.resolve("data.qcow2");
        TestVm.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", data.toString(), "16M"));
        Path reference = dir.resolve("ref.raw");
        TestVm.run(List.of("qemu-img", "create", "-q", "-f", "raw", reference.toString(), "1M"));
        Path src = Files.createDirectories(dir.resolve("src"));
        Path config = Files.createDirectories(dir.resolve("config"));
        Path seed = dir.resolve("cloud-init.iso");
        Files.writeString(dir.resolve("meta-data"), "instance-id: it\n");
        TestVm.run(List.of("genisoimage", "-quiet", "-o", seed.toString(), "-volid", "cidata", "-joliet", "-rock",
                dir.resolve("meta-data").toString()));

        var leases = new PortLeases(dir.resolve("state"), 42500, 42999, PortLeases::bindableOnLoopback);
        PortLease ssh = leases.acquire(dir, "full");
        PortLease web = leases.acquire(dir, "full-web");
        // failsafe sets QEMU_COMPOSE_USERNET_RESTRICT=true (integration/pom.xml): the guest gets no outbound network
        boolean restrict = UserNetwork.restrictFromEnvironment(System.getenv());
        assertThat(restrict).as(UserNetwork.RESTRICT_ENV).isTrue();
        VmRuntimeSpec spec = TestVm.echoSpec(dir, "full",
                List.of(new DataDisk(data, "qcow2", "qc-data", false), new DataDisk(reference, "raw", "qc-ref", true)),
                List.of(new Share(src, "src", "mapped-xattr", false), new Share(config, "config", "mapped-xattr", true)),
                List.of(new UserNetwork("52:54:00:12:34:56", ssh.port(),
                        List.of(HostForward.tcp("127.0.0.1", web.port(), 80)), restrict)),
                Optional.of(seed));

        try (TestVm vm = TestVm.start(dir, spec); QmpClient qmp = QmpClient.connect(vm.files().qmpSocket(), Duration.ofSeconds(20))) {
            assertThat(qmp.queryStatus()).as(vm.qemuOutput()).isEqualTo(RunState.RUNNING);

            JsonNode blocks = qmp.execute("query-block");
            assertThat(readOnly(blocks, "disk0")).isFalse();
            assertThat(readOnly(blocks, "disk1")).isFalse();
            assertThat(readOnly(blocks, "disk2")).isTrue();
            assertThat(blocks.valueStream().anyMatch(b -> b.path("inserted").path("file").asString().equals(seed.toString())
                    && b.path("inserted").path("ro").asBoolean())).isTrue();

            String qtree = qmp.humanMonitorCommand("info qtree");
            assertThat(qtree).contains("serial = \"qc-data\"", "serial = \"qc-ref\"", "mac = \"52:54:00:12:34:56\"",
                    "name = \"org.qemu.guest_agent.0\"");
            assertThat(qtree).contains("mount_tag = \"src\"", "mount_tag = \"config\"");

            String usernet = qmp.humanMonitorCommand("info usernet");
            assertThat(usernet).contains(Integer.toString(ssh.port()), Integer.toString(web.port()));
            try (var socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), ssh.port()), 2000);
                assertThat(socket.isConnected()).isTrue();
            }
            assertThat(PortLeases.bindableOnLoopback(ssh.port())).isFalse();
        }
    }

    private static boolean readOnly(JsonNode blocks, String device) {
        return blocks.valueStream().filter(b -> b.path("device").asString().equals(device)).findFirst()
                .orElseThrow(() -> new AssertionError("no block device " + device + " in " + blocks))
                .path("inserted").path("ro").asBoolean();
    }
}
