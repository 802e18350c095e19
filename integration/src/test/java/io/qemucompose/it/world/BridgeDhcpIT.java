package io.qemucompose.it.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.testkit.Commands;
import io.qemucompose.testkit.NetNs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bridge + TAP + dnsmasq in one namespace, a DHCP client in a second namespace on a veth: the
 * pieces a bridged VM network is made of, all inside namespaces the test creates and removes.
 */
class BridgeDhcpIT {

    @Test
    void clientInSecondNamespaceLeasesAnAddressFromDnsmasqOnTheBridgeAndAllIsRemovedAfterwards(@TempDir Path dir)
            throws Exception {
        String hostSide;
        String clientSide;
        Path leaseReport = dir.resolve("lease.env");
        try (NetNs host = NetNs.create(); NetNs client = NetNs.create()) {
            hostSide = host.name();
            clientSide = client.name();

            host.run("ip", "link", "add", "br0", "type", "bridge");
            host.run("ip", "addr", "add", "10.213.0.1/24", "dev", "br0");
            host.run("ip", "link", "set", "br0", "up");
            host.run("ip", "tuntap", "add", "dev", "tap0", "mode", "tap", "vnet_hdr", "multi_queue");
            host.run("ip", "link", "set", "tap0", "master", "br0", "up");
            host.run("ip", "link", "add", "veth-br", "type", "veth", "peer", "name", "veth-cl", "netns", clientSide);
            host.run("ip", "link", "set", "veth-br", "master", "br0", "up");
            client.run("ip", "link", "set", "veth-cl", "up");
            assertThat(host.run("ip", "-o", "link", "show", "master", "br0").stdout()).contains("tap0", "veth-br");

            Path leases = dir.resolve("dnsmasq.leases");
            host.start(List.of("dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--port=0", "--user=root",
                    "--interface=br0", "--bind-interfaces", "--dhcp-range=10.213.0.50,10.213.0.99,255.255.255.0,1h",
                    "--dhcp-leasefile=" + leases, "--pid-file=" + dir.resolve("dnsmasq.pid"), "--log-dhcp"),
                    dir.resolve("dnsmasq.log"));

            // udhcpc's default script would rewrite the host's /etc/resolv.conf: report the lease to a file instead.
            Path script = dir.resolve("udhcpc.sh");
            Files.writeString(script, "#!/bin/sh\n[ \"$1\" = bound ] && echo \"ip=$ip subnet=$subnet\" > " + leaseReport + "\nexit 0\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            var dhcp = client.exec("udhcpc", "-f", "-q", "-n", "-t", "10", "-T", "1", "-i", "veth-cl", "-s", script.toString());
            assertThat(dhcp.exitCode()).as("udhcpc: %s %s", dhcp.stdout(), dhcp.stderr()).isZero();

            String lease = Files.readString(leaseReport);
            assertThat(lease).matches("(?s)ip=10\\.213\\.0\\.(5\\d|[6-9]\\d) subnet=255\\.255\\.255\\.0\\s*");
            String ip = lease.substring(3, lease.indexOf(' '));
            String clientMac = client.run("cat", "/sys/class/net/veth-cl/address").stdout().strip();
            Commands.awaitCondition("dnsmasq to record the lease", Duration.ofSeconds(10), Duration.ofMillis(50),
                    () -> readOrEmpty(leases).contains(clientMac + " " + ip));

            // The lease is usable: the client reaches the bridge through the veth.
            client.run("ip", "addr", "add", ip + "/24", "dev", "veth-cl");
            var ping = client.exec("busybox", "ping", "-c", "1", "-W", "5", "10.213.0.1");
            assertThat(ping.exitCode()).as("ping: %s %s", ping.stdout(), ping.stderr()).isZero();
        }
        assertThat(NetNs.list()).doesNotContain(hostSide, clientSide);
        assertThat(Files.exists(Path.of("/run/netns", hostSide))).isFalse();
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
