package io.qemucompose.it.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qemucompose.driver.ExternalCommand;
import io.qemucompose.driver.network.DhcpLeases;
import io.qemucompose.driver.network.DnsmasqConfig;
import io.qemucompose.driver.network.DnsmasqUnit;
import io.qemucompose.driver.network.GuestAddresses;
import io.qemucompose.driver.network.HostNetworkDriver;
import io.qemucompose.driver.network.Ipv4Cidr;
import io.qemucompose.driver.network.NetworkDriver;
import io.qemucompose.driver.network.NetworkDriverException;
import io.qemucompose.driver.network.SubnetLease;
import io.qemucompose.driver.network.SubnetRegistry;
import io.qemucompose.driver.network.UsedNetwork;
import io.qemucompose.driver.systemd.SystemdUserManager;
import io.qemucompose.driver.systemd.TransientUnit;
import io.qemucompose.driver.systemd.UnitStatus;
import io.qemucompose.spec.Names;
import io.qemucompose.spec.SubnetSpec;
import io.qemucompose.testkit.CommandResult;
import io.qemucompose.testkit.Commands;
import io.qemucompose.testkit.NetNs;
import io.qemucompose.testkit.PrivateSystemdUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge-network driver layer on real iproute2, dnsmasq and systemd, only inside two network
 * namespaces the test creates and removes: "host" holds the bridge, the TAP and dnsmasq (started as
 * a transient unit of a private systemd user manager, placed in the namespace with
 * NetworkNamespacePath=, which the product's unit does not know about); "client" plays a VM's NIC on
 * a veth with the VM's MAC and asks for its lease with udhcpc.
 */
class NetworkDriverIT {

    private static final String PROJECT = "itproj";
    private static final String NETWORK = "backend";

    @RegisterExtension
    static PrivateSystemdUser systemd = new PrivateSystemdUser();

    @Test
    void bridgeDhcpAndDnsOfOneNetworkWorkInANamespaceAndLeaveNothingBehind(@TempDir Path dir) throws Exception {
        String hostName;
        String clientName;
        String bridge = Names.bridgeName(PROJECT, NETWORK);
        String tap = Names.tapName(PROJECT, "web", 1);
        String unitName = Names.dnsmasqUnitName(PROJECT, NETWORK) + ".service";
        try (NetNs host = NetNs.create(); NetNs client = NetNs.create(); SystemdUserManager units = systemd.connect()) {
            hostName = host.name();
            clientName = client.name();
            String netns = "/run/netns/" + host.name();
            NetworkDriver driver = new HostNetworkDriver(new ExternalCommand("nsenter", "util-linux"),
                    List.of("--net=" + netns, "ip"));
            try {
                // what the namespace already uses: a route the test adds, and an address on a veth (no dummy module here)
                host.run("ip", "route", "add", "blackhole", "172.16.0.0/24");
                host.run("ip", "link", "add", "stray0", "type", "veth", "peer", "name", "stray1");
                host.run("ip", "addr", "add", "172.16.1.9/24", "dev", "stray0");
                List<UsedNetwork> used = driver.usedNetworks();
                assertThat(used).extracting(u -> u.cidr().toString()).contains("172.16.0.0/24", "172.16.1.0/24");
                assertThat(used).noneMatch(u -> u.cidr().prefixLength() == 0);

                Path projectDir = Files.createDirectories(dir.resolve(PROJECT));
                SubnetLease lease = new SubnetRegistry(dir.resolve("state")).acquire(projectDir, NETWORK,
                        new SubnetSpec.Auto(), UsedNetwork.cidrsExcept(used, bridge));
                Ipv4Cidr subnet = lease.cidr();
                assertThat(subnet).isEqualTo(Ipv4Cidr.parse("172.16.2.0/24"));
                String gateway = Ipv4Cidr.dotted(subnet.gateway());

                // bridge: created once, idempotent, a stray address is corrected
                long t0 = System.nanoTime();
                driver.ensureBridge(bridge, subnet);
                long bridgeReady = System.nanoTime();
                driver.ensureBridge(bridge, subnet);
                host.run("ip", "addr", "add", "10.99.0.1/24", "dev", bridge);
                driver.ensureBridge(bridge, subnet);
                assertThat(driver.bridge(bridge)).contains(new NetworkDriver.BridgeLink(bridge, List.of(gateway + "/24"), true));
                assertThatThrownBy(() -> driver.ensureBridge("stray0", subnet)).isInstanceOf(NetworkDriverException.class)
                        .hasMessageContaining("stray0 exists but is a veth, not a bridge");
                assertThat(UsedNetwork.cidrsExcept(driver.usedNetworks(), bridge)).doesNotContain(subnet);

                // TAP owned by nobody (QEMU's user), on the bridge, idempotent
                driver.ensureTap(tap, bridge, 65534);
                driver.ensureTap(tap, bridge, 65534);
                assertThat(driver.tapsOn(bridge)).singleElement().satisfies(t -> {
                    assertThat(t.name()).isEqualTo(tap);
                    assertThat(t.owner()).contains("nobody");
                    assertThat(t.up()).isTrue();
                });
                assertThat(driver.tapsNamed("tap-")).extracting(NetworkDriver.TapLink::name).containsExactly(tap);

                assertThatThrownBy(() -> driver.ensureTap("tap-orphan", "no-such-br", 0))
                        .isInstanceOf(NetworkDriverException.class)
                        .hasMessageContaining("ip link set dev tap-orphan master no-such-br up' failed with exit code")
                        .hasMessageContaining("no-such-br");
                driver.deleteTap("tap-orphan");

                // dnsmasq for web and db, as a systemd user unit inside the namespace
                GuestAddresses plan = GuestAddresses.plan(subnet, PROJECT, NETWORK, List.of("web", "db"));
                var web = plan.of("web").orElseThrow();
                var db = plan.of("db").orElseThrow();
                Path leases = dir.resolve("dnsmasq.leases");
                Path conf = dir.resolve("dnsmasq.conf");
                Path log = dir.resolve("dnsmasq.log");
                String domain = DnsmasqConfig.domainOf(PROJECT);
                Files.writeString(conf, DnsmasqConfig.of(PROJECT, NETWORK, plan, leases).render());
                TransientUnit unit = inNetworkNamespace(
                        DnsmasqUnit.of(PROJECT, NETWORK, DnsmasqUnit.binary(System.getenv()), conf, log), netns);
                long unitStart = System.nanoTime();
                assertThat(units.startTransientUnit(unit, Duration.ofSeconds(30)).done()).isTrue();
                Commands.awaitCondition("dnsmasq to answer DNS on " + gateway, Duration.ofSeconds(20), Duration.ofMillis(20),
                        () -> lookup(host, "web", gateway).stdout().contains(web.ip()));
                long dnsReady = System.nanoTime();
                System.out.printf("NetworkDriverIT: ensureBridge %.1f ms, dnsmasq unit start to first DNS answer %.1f ms,"
                                + " bridge+dnsmasq ready %.1f ms%n", (bridgeReady - t0) / 1e6, (dnsReady - unitStart) / 1e6,
                        ((bridgeReady - t0) + (dnsReady - unitStart)) / 1e6);
                assertThat(units.unit(unitName).isActive()).isTrue();

                // the "VM" web: a veth in the client namespace with web's MAC, plugged into the bridge
                host.run("ip", "link", "add", "veth-br", "type", "veth", "peer", "name", "veth-cl", "netns", client.name());
                host.run("ip", "link", "set", "veth-br", "master", bridge, "up");
                client.run("ip", "link", "set", "veth-cl", "address", web.mac());
                client.run("ip", "link", "set", "veth-cl", "up");
                Path report = dir.resolve("lease.env");
                Path script = dir.resolve("udhcpc.sh");
                // udhcpc's default script would rewrite the host's /etc/resolv.conf: report the lease to a file instead
                Files.writeString(script, "#!/bin/sh\n[ \"$1\" = bound ] && printf 'ip=%s\\nrouter=%s\\ndns=%s\\ndomain=%s\\n'"
                        + " \"$ip\" \"$router\" \"$dns\" \"$search$domain\" > " + report + "\nexit 0\n");
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
                CommandResult dhcp = client.exec("udhcpc", "-f", "-q", "-n", "-t", "10", "-T", "1", "-i", "veth-cl",
                        "-s", script.toString());
                assertThat(dhcp.exitCode()).as("udhcpc: %s %s\ndnsmasq: %s", dhcp.stdout(), dhcp.stderr(), read(log)).isZero();
                assertThat(Files.readAllLines(report)).containsExactly("ip=" + web.ip(), "router=", "dns=" + gateway,
                        "domain=" + domain);
                Commands.awaitCondition("dnsmasq to record web's lease", Duration.ofSeconds(10), Duration.ofMillis(20),
                        () -> DhcpLeases.read(leases).byMac(web.mac()).isPresent());
                assertThat(DhcpLeases.read(leases).byMac(web.mac()).orElseThrow().ip()).isEqualTo(web.ip());

                // from the "VM": the other VM by short and full name, and nothing is forwarded
                client.run("ip", "addr", "add", web.ip() + "/24", "dev", "veth-cl");
                assertThat(lookup(client, "db", gateway).stdout()).contains(db.ip());
                assertThat(lookup(client, "db." + domain, gateway).stdout()).contains(db.ip());
                assertThat(lookup(client, "nope." + domain, gateway).stdout()).contains("NXDOMAIN");
                assertThat(lookup(client, "example.org", gateway).stdout()).contains("REFUSED");

                // removal
                assertThat(units.stopUnit(unitName, Duration.ofSeconds(30)).done()).isTrue();
                driver.deleteTap(tap);
                driver.deleteTap(tap);
                host.run("ip", "link", "del", "veth-br");
                driver.deleteBridge(bridge);
                driver.deleteBridge(bridge);
                assertThat(driver.bridgeExists(bridge)).isFalse();
                assertThat(driver.listTaps()).isEmpty();
                assertThat(host.run("ip", "-o", "link", "show").stdout().lines().map(l -> l.split(":\\s*")[1]))
                        .containsExactlyInAnyOrder("lo", "stray0@stray1", "stray1@stray0");
                assertThat(driver.usedNetworks()).noneMatch(u -> u.cidr().overlaps(subnet));
            } finally {
                units.stopUnit(unitName, Duration.ofSeconds(30));
            }
        }
        assertThat(NetNs.list()).doesNotContain(hostName, clientName);
        assertThat(Files.exists(Path.of("/run/netns", hostName))).isFalse();
    }

    @Test
    void namespacesAreRemovedWhenTheTestFailsHalfWay(@TempDir Path dir) {
        var names = new ArrayList<String>();
        assertThatThrownBy(() -> {
            try (NetNs host = NetNs.create()) {
                names.add(host.name());
                new HostNetworkDriver(new ExternalCommand("nsenter", "util-linux"),
                        List.of("--net=/run/netns/" + host.name(), "ip")).ensureBridge("qc-half", Ipv4Cidr.parse("172.16.0.0/24"));
                host.start(List.of("sleep", "300"), dir.resolve("sleep.log"));
                throw new IllegalStateException("failure in the middle");
            }
        }).hasMessage("failure in the middle");
        assertThat(NetNs.list()).doesNotContainAnyElementsOf(names);
    }

    /** The product's unit, moved into the test's namespace (systemd joins it before exec). */
    private static TransientUnit inNetworkNamespace(TransientUnit unit, String netnsPath) {
        var extra = new ArrayList<>(unit.extraProperties());
        extra.add(new TransientUnit.RawProperty("NetworkNamespacePath", "s", netnsPath));
        return new TransientUnit(unit.name(), unit.description(), unit.execStart(), unit.workingDirectory(),
                unit.environment(), unit.standardOutput(), unit.standardError(), unit.type(), unit.killMode(),
                unit.killSignal(), unit.timeoutStop(), unit.sendSigkill(), unit.collectMode(), extra);
    }

    private static CommandResult lookup(NetNs ns, String name, String server) {
        return ns.exec("busybox", "nslookup", name, server);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "(no log)";
        } catch (java.io.IOException e) {
            return "(unreadable)";
        }
    }
}
