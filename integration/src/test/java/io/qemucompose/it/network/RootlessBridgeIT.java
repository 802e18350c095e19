package io.qemucompose.it.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.ExternalCommand;
import io.qemucompose.driver.network.DhcpLeases;
import io.qemucompose.driver.network.DnsmasqConfig;
import io.qemucompose.driver.network.DnsmasqUnit;
import io.qemucompose.driver.network.GuestAddresses;
import io.qemucompose.driver.network.HostNetworkDriver;
import io.qemucompose.driver.network.Ipv4Cidr;
import io.qemucompose.driver.network.MacAddresses;
import io.qemucompose.driver.network.NamespaceRelay;
import io.qemucompose.driver.network.NetworkDriver;
import io.qemucompose.driver.network.ProjectNamespace;
import io.qemucompose.driver.qemu.RelayedNetwork;
import io.qemucompose.driver.systemd.TransientUnit;
import io.qemucompose.spec.Names;
import io.qemucompose.testkit.Commands;
import io.qemucompose.testkit.PrivateSystemdUser;
import io.qemucompose.testkit.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data path of rootless bridge networks (docs/networks.md, "Rootless mode") with the real
 * tools, as an unprivileged user: a systemd user unit holds the project's user + network namespace;
 * the product's {@link HostNetworkDriver}, entering it with nsenter, makes the bridge and a VM's
 * TAP there; dnsmasq runs there with the product's config; the product's relay joins the TAP to
 * QEMU's {@code -netdev dgram} socket, QEMU running in the host's namespace as in the product. A
 * DHCP lease for the VM's MAC (iPXE asking, no guest disk needed) proves frames flow both ways;
 * the host's namespace never sees a link. {@code /dev/net/tun} is 0600 on this machine: the user's processes run in a private mount
 * namespace where a node the test made (0666) is bind-mounted over it.
 */
class RootlessBridgeIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String PROJECT = "rl";
    private static final String NETWORK = "back";
    private static final String BRIDGE = Names.bridgeName(PROJECT, NETWORK);
    private static final String TAP = Names.tapName(PROJECT, "web", 0);
    private static final Ipv4Cidr SUBNET = Ipv4Cidr.parse("172.31.250.0/24");

    @TempDir
    Path dir;

    @Test
    void theProjectsNamespaceHoldsTheBridgeAndCarriesAVmsFramesWithoutRoot() throws Exception {
        List<Process> processes = new ArrayList<>();
        try (var systemd = PrivateSystemdUser.forNewUser().start()) {
            TestUser user = systemd.user();
            Path work = Files.createDirectory(dir.resolve("work"));
            Path tun = work.resolve("tun");
            Commands.run(List.of("mknod", "-m", "0666", tun.toString(), "c", "10", "200")).orThrow();
            user.chown(work);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

            // the holder unit, started by the user over its bus
            TransientUnit holderUnit = ProjectNamespace.holderUnit(PROJECT, "/usr/bin/unshare");
            systemd.runAsUser(concat(List.of("systemd-run", "--user", "--unit=" + holderUnit.name()),
                    holderUnit.execStart()), DEADLINE, null).orThrow();
            var namespace = new ProjectNamespace(mainPid(systemd, holderUnit.name()));

            // the product's driver, as the user, inside the project's namespace
            List<String> driverArgv = asUserWithTun(user, systemd, tun, namespace.enter(List.of("ip")));
            NetworkDriver driver = new HostNetworkDriver(new ExternalCommand(driverArgv.getFirst(), "util-linux"),
                    driverArgv.subList(1, driverArgv.size()));
            long t0 = System.nanoTime();
            driver.ensureBridge(BRIDGE, SUBNET);
            driver.ensureTap(TAP, BRIDGE, 0); // uid 0 of the namespace: the user
            long linksMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(driver.bridge(BRIDGE)).contains(new NetworkDriver.BridgeLink(BRIDGE, List.of("172.31.250.1/24"),
                    true));
            assertThat(driver.listTaps()).extracting(NetworkDriver.TapLink::name).containsExactly(TAP);
            String hostLinks = Commands.run(List.of("ip", "-o", "link")).orThrow().stdout();
            assertThat(hostLinks).doesNotContain(BRIDGE).doesNotContain(TAP);

            // dnsmasq in the namespace, as its root (the user), with the product's config
            GuestAddresses plan = GuestAddresses.plan(SUBNET, PROJECT, NETWORK, List.of("web"));
            Path conf = work.resolve("dnsmasq.conf");
            Path leases = work.resolve("dnsmasq.leases");
            Files.writeString(conf, DnsmasqConfig.inProjectNamespace(PROJECT, NETWORK, plan, leases).render());
            user.chown(work);
            processes.add(start(user.argv(namespace.enter(List.of(DnsmasqUnit.binary(System.getenv()),
                    "--conf-file=" + conf)), systemd.environment()), work.resolve("dnsmasq.log")));

            // the VM's relay inside the namespace, and QEMU in the host's namespace with the dgram NIC
            String mac = MacAddresses.of(PROJECT, "web", NETWORK);
            var nic = new RelayedNetwork(work.resolve("nic0.qemu.sock"), work.resolve("nic0.ns.sock"), mac, "br0");
            // no guest disk: SeaBIOS boots the NIC's iPXE ROM, whose DHCP request must cross the
            // relay, the TAP and the bridge to dnsmasq, and its answer come back the same way
            long boot = System.nanoTime();
            processes.add(start(user.argv(List.of("qemu-system-x86_64", "-nodefaults", "-display", "none",
                    "-machine", "pc", "-accel", "tcg", "-m", "128", "-boot", "n",
                    "-netdev", "dgram,id=br0,local.type=unix,local.path=" + nic.qemuSocket()
                            + ",remote.type=unix,remote.path=" + nic.relaySocket(),
                    "-device", "virtio-net-pci,netdev=br0,mac=" + mac), Map.of()), work.resolve("qemu.log")));
            // the relay after QEMU has bound its socket: socat dies of a send to a socket that is not there
            Commands.awaitCondition("QEMU's socket", DEADLINE, Duration.ofMillis(20), () -> Files.exists(nic.qemuSocket()));
            processes.add(start(asUserWithTun(user, systemd, tun, namespace.enter(NamespaceRelay.command("socat", TAP,
                    nic))), work.resolve("relay.log")));
            Commands.awaitCondition("the relay's socket", DEADLINE, Duration.ofMillis(20),
                    () -> Files.exists(nic.relaySocket()));
            try {
                Commands.awaitCondition("a DHCP lease for the VM's MAC", Duration.ofSeconds(90), Duration.ofMillis(200),
                        () -> Files.exists(leases) && DhcpLeases.read(leases).byMac(mac).isPresent());
            } catch (IllegalStateException e) {
                var logs = new StringBuilder(e.getMessage());
                for (String log : List.of("dnsmasq.log", "relay.log", "qemu.log")) {
                    Path file = work.resolve(log);
                    logs.append("\n--- ").append(log).append(":\n")
                            .append(Files.exists(file) ? Files.readString(file) : "(none)");
                }
                logs.append("\n--- links in the namespace:\n").append(Commands.run(asUserWithTun(user, systemd, tun,
                        namespace.enter(List.of("ip", "-d", "link")))).stdout());
                throw new AssertionError(logs.toString(), e);
            }
            System.out.printf("rootless bridge: bridge+TAP %d ms; QEMU start to DHCP lease across the relay %d ms%n",
                    linksMs, (System.nanoTime() - boot) / 1_000_000);
            assertThat(DhcpLeases.read(leases).byMac(mac).orElseThrow().ip()).isEqualTo(plan.of("web").orElseThrow().ip());
            assertThat(Files.getAttribute(leases, "unix:uid")).isEqualTo(user.uid());
            assertThat(Commands.run(List.of("ip", "-o", "link")).orThrow().stdout()).doesNotContain(BRIDGE)
                    .doesNotContain(TAP);
        } finally {
            for (Process p : processes) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        assertThat(Commands.run(List.of("ip", "-o", "link")).orThrow().stdout()).doesNotContain(BRIDGE);
    }

    private static long mainPid(PrivateSystemdUser systemd, String unit) {
        long[] pid = new long[1];
        Commands.awaitCondition(unit + " to run", DEADLINE, Duration.ofMillis(50), () -> {
            String out = systemd.runAsUser(List.of("systemctl", "--user", "show", "-p", "MainPID", "--value", unit),
                    DEADLINE, null).stdout().strip();
            pid[0] = out.isEmpty() ? 0 : Long.parseLong(out);
            return pid[0] > 0;
        });
        return pid[0];
    }

    /**
     * {@code command} as the user, in a private mount namespace (made as root, so it can mount)
     * where the test's own tun node stands in for /dev/net/tun.
     */
    private static List<String> asUserWithTun(TestUser user, PrivateSystemdUser systemd, Path tun, List<String> command) {
        return concat(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount --bind \"$0\" /dev/net/tun && exec \"$@\"", tun.toString()),
                user.argv(command, systemd.environment()));
    }

    private static Process start(List<String> argv, Path log) {
        return Commands.startOwned(new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        var out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
