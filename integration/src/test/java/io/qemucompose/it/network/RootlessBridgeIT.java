package io.qemucompose.it.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.ExternalCommand;
import io.qemucompose.driver.network.HostNetworkDriver;
import io.qemucompose.driver.network.Ipv4Cidr;
import io.qemucompose.driver.network.NetworkDriver;
import io.qemucompose.testkit.CommandResult;
import io.qemucompose.testkit.Commands;
import io.qemucompose.testkit.PrivateSystemdUser;
import io.qemucompose.testkit.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data path of rootless bridge networks (docs/networks.md, "Rootless mode") with the real
 * tools, as an unprivileged user: a systemd user unit holds the project's user + network namespace;
 * the product's {@link HostNetworkDriver}, entering it with nsenter, makes the bridge and a VM's
 * TAP there; a socat relay joins the TAP to a pair of Unix datagram sockets, the far end of which
 * (QEMU's {@code -netdev dgram} in the product) is here a second namespace with its own TAP and
 * relay. A TCP exchange across proves frames flow both ways; the host's namespace never sees a
 * link. {@code /dev/net/tun} is 0600 on this machine: the user's processes run in a private mount
 * namespace where a node the test made (0666) is bind-mounted over it.
 */
class RootlessBridgeIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String BRIDGE = "qc-rl-back";
    private static final String TAP = "tap-rl-web-0";
    private static final Ipv4Cidr SUBNET = Ipv4Cidr.parse("172.31.250.0/24");

    @TempDir
    Path dir;

    @Test
    void theProjectsNamespaceHoldsTheBridgeAndCarriesAVmsFramesWithoutRoot() throws Exception {
        List<Process> relays = new ArrayList<>();
        try (var systemd = PrivateSystemdUser.forNewUser().start()) {
            TestUser user = systemd.user();
            Path work = Files.createDirectory(dir.resolve("work"));
            Path tun = work.resolve("tun");
            Commands.run(List.of("mknod", "-m", "0666", tun.toString(), "c", "10", "200")).orThrow();
            user.chown(work);
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

            // the holder unit, started by the user over its bus
            String holder = "qemu-compose-netns-rl.service";
            systemd.runAsUser(List.of("systemd-run", "--user", "--unit=" + holder, "unshare", "--user",
                    "--map-root-user", "--net", "--", "sleep", "infinity"), DEADLINE, null).orThrow();
            long holderPid = mainPid(systemd, holder);
            List<String> enterProject = List.of("nsenter", "--target", Long.toString(holderPid), "--user", "--net",
                    "--preserve-credentials", "--");

            // the product's driver, as the user, inside the project's namespace
            List<String> driverArgv = asUserWithTun(user, systemd, tun, concat(enterProject, List.of("ip")));
            NetworkDriver driver = new HostNetworkDriver(new ExternalCommand(driverArgv.getFirst(), "util-linux"),
                    driverArgv.subList(1, driverArgv.size()));
            driver.ensureBridge(BRIDGE, SUBNET);
            driver.ensureTap(TAP, BRIDGE, 0); // uid 0 of the namespace: the user
            assertThat(driver.bridge(BRIDGE)).contains(new NetworkDriver.BridgeLink(BRIDGE, List.of("172.31.250.1/24"),
                    true));
            assertThat(driver.listTaps()).extracting(NetworkDriver.TapLink::name).containsExactly(TAP);
            String hostLinks = Commands.run(List.of("ip", "-o", "link")).orThrow().stdout();
            assertThat(hostLinks).doesNotContain(BRIDGE).doesNotContain(TAP);

            // the VM's relay inside the project's namespace, and the stand-in for QEMU's dgram end
            Path nsSock = work.resolve("nic0.ns.sock");
            Path qemuSock = work.resolve("nic0.qemu.sock");
            relays.add(start(asUserWithTun(user, systemd, tun, concat(enterProject, List.of("socat", "-s",
                    "TUN,tun-type=tap,tun-name=" + TAP + ",iff-no-pi,iff-up",
                    "UNIX-SENDTO:" + qemuSock + ",bind=" + nsSock))), work.resolve("relay.log")));
            Process guest = start(asUserWithTun(user, systemd, tun, List.of("unshare", "--user", "--map-root-user",
                    "--net", "sh", "-c", "ip link set lo up && ip tuntap add guest0 mode tap"
                            + " && ip addr add 172.31.250.50/24 dev guest0 && exec socat -s"
                            + " TUN,tun-type=tap,tun-name=guest0,iff-no-pi,iff-up"
                            + " UNIX-SENDTO:" + nsSock + ",bind=" + qemuSock)), work.resolve("guest.log"));
            relays.add(guest);
            Commands.awaitCondition("both datagram sockets", DEADLINE, Duration.ofMillis(50),
                    () -> Files.exists(nsSock) && Files.exists(qemuSock));

            // a service on the bridge's gateway, reached from the "guest" across the relay
            relays.add(start(user.argv(concat(enterProject, List.of("socat", "TCP-LISTEN:7777,bind=172.31.250.1,"
                    + "reuseaddr", "SYSTEM:echo hello-from-the-bridge")), systemd.environment()), work.resolve("tcp.log")));
            List<String> enterGuest = List.of("nsenter", "--target", Long.toString(guest.pid()), "--user", "--net",
                    "--preserve-credentials", "--");
            long started = System.nanoTime();
            CommandResult answer = null;
            for (int attempt = 0; attempt < 20; attempt++) {
                answer = user.run(concat(enterGuest, List.of("socat", "-T", "5", "-",
                        "TCP:172.31.250.1:7777,connect-timeout=3")), systemd.environment(), DEADLINE, null);
                if (answer.stdout().contains("hello-from-the-bridge")) {
                    break;
                }
                Thread.sleep(250);
            }
            System.out.printf("rootless bridge: first TCP answer across the relay after %d ms%n",
                    (System.nanoTime() - started) / 1_000_000);
            assertThat(answer.stdout()).as(answer + "\nrelay: " + Files.readString(work.resolve("relay.log"))
                    + "\nguest: " + Files.readString(work.resolve("guest.log"))).contains("hello-from-the-bridge");
            String neighbours = user.run(concat(enterGuest, List.of("ip", "neigh")), systemd.environment(), DEADLINE,
                    null).orThrow().stdout();
            assertThat(neighbours).contains("172.31.250.1 dev guest0 lladdr");
        } finally {
            for (Process p : relays) {
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
