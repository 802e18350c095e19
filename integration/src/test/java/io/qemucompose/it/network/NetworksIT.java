package io.qemucompose.it.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qemucompose.driver.network.MacAddresses;
import io.qemucompose.driver.systemd.SystemdUserManager;
import io.qemucompose.driver.systemd.UnitStatus;
import io.qemucompose.state.NetworkAllocations;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.ProjectState;
import io.qemucompose.state.StateStore;
import io.qemucompose.testkit.CommandResult;
import io.qemucompose.testkit.Commands;
import io.qemucompose.testkit.GuestImage;
import io.qemucompose.testkit.NetNs;
import io.qemucompose.testkit.PrivateSystemdUser;
import io.qemucompose.testkit.StopAfterFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bridge networks end to end, on real guests, entirely inside a network namespace this test
 * creates and removes: the private systemd user manager (so QEMU and dnsmasq), every CLI run (a
 * child JVM entered with nsenter, so {@code ip} and the SSH forwards are the namespace's) and
 * every SSH login run in it. The project is {@code examples/bridge-networks/} as it is, with an
 * override file for the test image, smaller VMs and a third VM, {@code lone}, on {@code frontend}
 * only. One scenario shares the booted VMs; a failed step skips the rest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworksIT {

    private static final String USER = "debian";
    private static final String PROJECT = "bridgenet";
    /** Routed in the namespace before anything: `subnet: auto` must skip it. */
    private static final String TAKEN = "172.16.0.0/24";

    static final NetNs ns = NetNs.create();

    @RegisterExtension
    static PrivateSystemdUser systemd = new PrivateSystemdUser().inNetworkNamespace(ns.name());

    @RegisterExtension
    final StopAfterFailure chain = new StopAfterFailure();

    @TempDir
    static Path root;

    private Path dir;
    private Map<String, String> env;
    private final Map<String, String> figures = new java.util.LinkedHashMap<>();

    @BeforeAll
    void writeProject() throws Exception {
        ns.run("ip", "route", "add", "blackhole", TAKEN);
        dir = root.resolve(PROJECT);
        Files.createDirectories(dir);
        Path example = GuestImage.repoRoot().resolve("examples/bridge-networks/qemu-compose.yaml");
        Files.copy(example, dir.resolve("qemu-compose.yaml"));
        Files.writeString(dir.resolve("qemu-compose.override.yaml"), """
                networks:
                  spare:
                    driver: bridge
                    subnet: auto
                vms:
                  db:
                    image: %1$s
                    cpu: 1
                    memory: 640
                    volumes:
                      - dbdata:/var/lib/data
                  web:
                    image: %1$s
                    cpu: 1
                    memory: 640
                  lone:
                    image: %1$s
                    cpu: 1
                    memory: 512
                    networks: [frontend]
                volumes:
                  dbdata:
                    size: 64M
                """.formatted(GuestImage.path()));
        Map<String, String> e = new HashMap<>(System.getenv());
        e.putAll(systemd.environment());
        e.put("QEMU_COMPOSE_USERNET_RESTRICT", "true");
        e.put("QEMU_COMPOSE_ACCEL", "tcg");
        e.put("QEMU_COMPOSE_FILE", dir.resolve("qemu-compose.yaml") + ":" + dir.resolve("qemu-compose.override.yaml"));
        e.put("XDG_DATA_HOME", root.resolve("xdg-data").toString());
        e.put("XDG_STATE_HOME", root.resolve("xdg-state").toString());
        env = Map.copyOf(e);
    }

    @AfterAll
    void destroyAndRemoveTheNamespace() {
        try {
            if (dir != null && Files.exists(dir.resolve(ProjectLayout.STATE_DIR))) {
                cli(List.of(), "destroy", "-v");
            }
        } catch (RuntimeException e) {
            System.err.println("cleanup: destroy failed: " + e);
        } finally {
            System.out.println("figures: " + figures);
            ns.close();
        }
    }

    // ---------------------------------------------------------------- steps

    @Test
    @Order(1)
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void withoutCapNetAdminUpRefusesBeforeCreatingAnything() throws Exception {
        Path other = root.resolve("nocap");
        Files.createDirectories(other);
        Files.copy(dir.resolve("qemu-compose.yaml"), other.resolve("qemu-compose.yaml"));
        Files.copy(dir.resolve("qemu-compose.override.yaml"), other.resolve("qemu-compose.override.yaml"));
        Map<String, String> e = new HashMap<>(env);
        e.put("QEMU_COMPOSE_FILE", other.resolve("qemu-compose.yaml") + ":" + other.resolve("qemu-compose.override.yaml"));
        // host mode asked for (without it, root lacking the capability would get the rootless mode)
        e.put("QEMU_COMPOSE_NETWORK_MODE", "host");
        // drops CAP_NET_ADMIN from the bounding set: after exec, even root no longer has it
        Run up = run(other, e, List.of("setpriv", "--bounding-set", "-net_admin", "--"), "up", "--pull", "never");
        assertThat(up.code()).as(up.toString()).isNotZero();
        assertThat(up.out()).contains("bridge networks need CAP_NET_ADMIN", "run qemu-compose as root");
        assertThat(new ProjectLayout(other).instanceNames()).isEmpty();
        assertThat(Files.exists(new ProjectLayout(other).networksJson())).isFalse();
        assertThat(bridges()).isEmpty();
        assertThat(projectUnits()).isEmpty();
    }

    @Test
    @Order(2)
    void planShowsTheNetworksToCreate() {
        Run plan = cli(List.of(), "plan");
        assertThat(plan.code()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("# network.frontend will be created", "# network.backend will be created",
                "+ subnet = \"192.168.100.0/24\"", "+ subnet = \"auto (a free /24 of 172.16.0.0/12)\"")
                .doesNotContain("network.spare"); // declared, but no VM uses it
    }

    @Test
    @Order(3)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aKillDuringNetworkCreationConvergesOnTheNextRun() throws Exception {
        Map<String, String> e = new HashMap<>(env);
        e.put("QEMU_COMPOSE_KILL_POINT", "network-bridge-up");
        Run killed = run(dir, e, List.of(), "up", "--no-wait", "db");
        assertThat(killed.code()).as(killed.toString()).isEqualTo(137);
        assertThat(killed.out()).contains("KILL-POINT network-bridge-up");
        assertThat(bridges()).as("the bridge was made before the kill").hasSize(1);
        assertThat(projectUnits()).as("no dnsmasq yet, no VM").isEmpty();
    }

    @Test
    @Order(4)
    @Timeout(value = 22, unit = TimeUnit.MINUTES)
    void upBringsTheNetworksAndAllVmsUp() throws Exception {
        long start = System.nanoTime();
        // three guests boot at once beside the other fork's: 600 s (the default) was passed once at load 8-9
        Run up = cli(List.of(), "up", "--wait-timeout", "1200");
        assertThat(up.code()).as(up.toString()).isZero();
        figures.put("up, 3 VMs to ready (s)", String.format("%.1f", (System.nanoTime() - start) / 1e9));
        figures.put("network lines", up.timed().stream().filter(l -> l.contains("network ")).toList().toString());
        assertThat(bridges()).as("one bridge per used network, none twice").hasSize(2);
        NetworkAllocations.File nets = new NetworkAllocations(layout()).read();
        assertThat(nets.networks()).containsOnlyKeys("frontend", "backend");
        assertThat(nets.network("frontend").orElseThrow().subnet()).isEqualTo("192.168.100.0/24");
        assertThat(nets.network("backend").orElseThrow().subnet())
                .as("auto skips the routed %s", TAKEN).isEqualTo("172.16.1.0/24");
        try (SystemdUserManager client = systemd.connect()) {
            assertThat(client.listUnits("qemu-compose-dnsmasq-" + PROJECT + "-")).extracting(UnitStatus::name)
                    .containsExactlyInAnyOrder("qemu-compose-dnsmasq-" + PROJECT + "-frontend.service",
                            "qemu-compose-dnsmasq-" + PROJECT + "-backend.service");
        }
    }

    @Test
    @Order(5)
    void vmsReachEachOtherByNameAndByAddressOnlyWhereTheyShareANetwork() {
        NetworkAllocations.File nets = new NetworkAllocations(layout()).read();
        String dbIp = nets.network("backend").orElseThrow().addresses().get("db");
        String webFront = nets.network("frontend").orElseThrow().addresses().get("web");
        // the guest's address on each NIC is the reserved one (matched by MAC)
        assertThat(guestIps("db")).contains(dbIp);
        assertThat(guestIps("web")).contains(webFront, nets.network("backend").orElseThrow().addresses().get("web"));
        assertThat(guestIps("lone")).contains(nets.network("frontend").orElseThrow().addresses().get("lone"));

        // the network's dnsmasq answers for <vm>.<project>.internal (unicast DNS only: no LLMNR for dotted names)
        assertThat(ssh("web", "getent ahostsv4 db." + PROJECT + ".internal").stdout()).contains(dbIp);
        // and a bare name through the search domain it hands out
        assertThat(ssh("web", "getent ahostsv4 db").stdout()).contains(dbIp);
        assertThat(ssh("web", "ping -4 -c1 -W5 db").exitCode()).as("web pings db by name").isZero();
        assertThat(ssh("web", "ping -c1 -W5 " + dbIp).exitCode()).as("by address").isZero();
        assertThat(ssh("lone", "ping -4 -c1 -W5 web").exitCode()).as("lone and web share frontend").isZero();
        assertThat(ssh("lone", "ping -c1 -W3 " + dbIp).exitCode()).as("lone cannot reach db (backend only)").isNotZero();
        assertThat(ssh("lone", "getent ahostsv4 db." + PROJECT + ".internal").exitCode()).as("nor resolve it").isNotZero();

        String ping = ssh("web", "ping -4 -c10 -i0.2 -q db").stdout();
        figures.put("ping web->db", ping.lines().filter(l -> l.contains("rtt")).findFirst().orElse(ping));
        // the DHCP leases are matched by the guest NIC's MAC (not the TAP's)
        assertThat(leaseIp("backend", MacAddresses.of(PROJECT, "db", "backend"))).isEqualTo(dbIp);
    }

    @Test
    @Order(6)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void psInspectAndNetworkLsShowWhatTheGuestsHave() throws Exception {
        var json = tools.jackson.databind.json.JsonMapper.builder().build();
        Run ps = cli(List.of(), "ps", "--format", "json", "--no-probe");
        assertThat(ps.code()).as(ps.toString()).isZero();
        Matcher start = Pattern.compile("(?m)^\\[").matcher(ps.out());
        assertThat(start.find()).as(ps.toString()).isTrue();
        var rows = json.readTree(ps.out().substring(start.start()));
        for (var row : rows) {
            String vm = row.get("name").asString();
            List<String> inGuest = guestIps(vm);
            int bridgeNics = 0;
            for (var nic : row.get("networks")) {
                if (nic.get("driver").asString().equals("bridge")) {
                    bridgeNics++;
                    assertThat(inGuest).as("%s on %s", vm, nic.get("name").asString()).contains(nic.get("ip_address").asString());
                }
            }
            assertThat(bridgeNics).as(vm).isEqualTo(vm.equals("web") ? 2 : 1);
            assertThat(inGuest).contains(row.get("ip_address").asString());
        }
        Run inspect = cli(List.of(), "inspect", "web");
        assertThat(inspect.code()).as(inspect.toString()).isZero();
        assertThat(inspect.out()).contains(guestIps("web").get(2)); // lo, eth0 (user), eth1 (frontend) ...
        Run ls = cli(List.of(), "network", "ls");
        assertThat(ls.code()).as(ls.toString()).isZero();
        assertThat(ls.out()).contains("frontend", "backend", "192.168.100.0/24", "172.16.1.0/24");
        Run rm = cli(List.of(), "network", "rm", "backend");
        assertThat(rm.code()).as("refused while VMs are attached: " + rm).isNotZero();
        assertThat(bridges()).hasSize(2);
    }

    @Test
    @Order(7)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void bulkTransferOnTheBridgeAndOverTheUserModeNic() {
        // 64 MiB from web to db over the bridge (nc), and from the host to db over its SSH forward
        ssh("db", "nohup sh -c 'nc -l 5001 > /dev/null' > /dev/null 2>&1 &");
        long t0 = System.nanoTime();
        CommandResult bridge = ssh("web", "dd if=/dev/zero bs=1M count=64 2>/dev/null | nc -N -w10 db 5001");
        double bridgeSeconds = (System.nanoTime() - t0) / 1e9;
        assertThat(bridge.exitCode()).as(bridge.toString()).isZero();
        long t1 = System.nanoTime();
        CommandResult user = Commands.run(inNs(List.of("sh", "-c", "dd if=/dev/zero bs=1M count=64 2>/dev/null | "
                + String.join(" ", sshCommand("db", "cat > /dev/null")))), Duration.ofMinutes(3), null);
        double userSeconds = (System.nanoTime() - t1) / 1e9;
        assertThat(user.exitCode()).as(user.toString()).isZero();
        figures.put("64 MiB web->db on the bridge (nc)", String.format("%.2f s, %.1f MiB/s", bridgeSeconds, 64 / bridgeSeconds));
        figures.put("64 MiB host->db over user-mode NIC (ssh)", String.format("%.2f s, %.1f MiB/s", userSeconds, 64 / userSeconds));
    }

    @Test
    @Order(8)
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void stopRemovesTheTapsAndUpGivesTheSameAddressAgain() {
        String before = new NetworkAllocations(layout()).read().network("frontend").orElseThrow().addresses().get("web");
        int tapsBefore = taps().size();
        Run stop = cli(List.of(), "stop", "web");
        assertThat(stop.code()).as(stop.toString()).isZero();
        assertThat(taps()).as("web's two TAPs are gone").hasSize(tapsBefore - 2);
        assertThat(bridges()).as("bridges stay").hasSize(2);
        Run up = cli(List.of(), "up", "web");
        assertThat(up.code()).as(up.toString()).isZero();
        assertThat(taps()).hasSize(tapsBefore);
        assertThat(guestIps("web")).contains(before);
        assertThat(new NetworkAllocations(layout()).read().network("backend").orElseThrow().subnet())
                .as("the auto subnet survives stop/up").isEqualTo("172.16.1.0/24");
    }

    @Test
    @Order(9)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void watchBringsBackAStoppedDnsmasq() throws Exception {
        Run watch = cli(List.of(), "watch", "--detach", "--resync", "300");
        assertThat(watch.code()).as(watch.toString()).isZero();
        String unit = "qemu-compose-dnsmasq-" + PROJECT + "-backend.service";
        try (SystemdUserManager client = systemd.connect()) {
            long pidBefore = client.unit(unit).mainPid();
            long t0 = System.nanoTime();
            client.stopUnit(unit);
            UnitStatus back = client.awaitState(unit, s -> s.isActive() && s.mainPid() != pidBefore, Duration.ofMinutes(2));
            figures.put("watch: dnsmasq stopped -> running again (s)", String.format("%.1f", (System.nanoTime() - t0) / 1e9));
            assertThat(back.mainPid()).isNotEqualTo(pidBefore);
        } finally {
            cli(List.of(), "watch", "--stop");
        }
        assertThat(ssh("web", "getent ahostsv4 db." + PROJECT + ".internal").exitCode()).as("DNS answers again").isZero();
    }

    @Test
    @Order(10)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void destroyRemovesBridgesDnsmasqAndAllocationsButKeepsVolumes() {
        Run destroy = cli(List.of(), "destroy");
        assertThat(destroy.code()).as(destroy.toString()).isZero();
        assertThat(bridges()).isEmpty();
        assertThat(taps()).isEmpty();
        assertThat(projectUnits()).isEmpty();
        assertThat(Files.exists(layout().networksJson())).isFalse();
        assertThat(Files.exists(layout().volumeDisk("dbdata"))).as("named volumes stay").isTrue();
        String registry = read(root.resolve("xdg-state/qemu-compose/networks.json"));
        assertThat(registry).doesNotContain(dir.toString());
    }

    // ---------------------------------------------------------------- helpers

    private ProjectLayout layout() {
        return new ProjectLayout(dir);
    }

    record Run(int code, String out, List<String> timed) {
        @Override
        public String toString() {
            return "exit " + code + "\n" + out;
        }
    }

    private Run cli(List<String> prefix, String... args) {
        return run(dir, env, prefix, args);
    }

    /** The one-shot CLI in its own JVM inside the namespace, in {@code cwd}; lines stamped as they come. */
    private Run run(Path cwd, Map<String, String> environment, List<String> prefix, String... args) {
        List<String> command = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + ns.name(), "--"));
        command.addAll(prefix);
        command.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), "io.qemucompose.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        long t0 = System.nanoTime();
        StringBuilder out = new StringBuilder();
        List<String> timed = new ArrayList<>();
        try {
            Process p = Commands.startOwned(builder);
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    out.append(line).append('\n');
                    timed.add(String.format("%.2fs %s", (System.nanoTime() - t0) / 1e9, line));
                }
            }
            int code = p.waitFor();
            Run run = new Run(code, out.toString(), timed);
            System.out.println("$ qemu-compose " + String.join(" ", args) + "\n" + String.join("\n", timed) + "\nexit " + code);
            return run;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> inNs(List<String> command) {
        List<String> full = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + ns.name(), "--"));
        full.addAll(command);
        return full;
    }

    private List<String> sshCommand(String vm, String remote) {
        int port = new StateStore(layout()).read().vm(vm).map(ProjectState.VmRecord::sshPort).orElseThrow();
        return List.of("ssh", "-i", layout().sshPrivateKey().toString(), "-p", Integer.toString(port),
                "-o", "BatchMode=yes", "-o", "UserKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=no",
                "-o", "ConnectTimeout=15", "-o", "LogLevel=ERROR", USER + "@127.0.0.1", "'" + remote.replace("'", "'\\''") + "'");
    }

    /** A command in the guest over its management NIC (the SSH forward on the namespace's loopback). */
    private CommandResult ssh(String vm, String remote) {
        List<String> cmd = new ArrayList<>(sshCommand(vm, remote));
        cmd.set(cmd.size() - 1, remote);
        CommandResult r = Commands.run(inNs(cmd), Duration.ofSeconds(90), null);
        System.out.println("ssh " + vm + " '" + remote + "' -> " + r.exitCode() + "\n" + r.stdout() + r.stderr());
        return r;
    }

    private List<String> guestIps(String vm) {
        CommandResult r = ssh(vm, "ip -4 -o addr show");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("inet (\\d+\\.\\d+\\.\\d+\\.\\d+)/").matcher(r.stdout());
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private String leaseIp(String network, String mac) {
        return read(layout().dhcpLeases(network)).lines().map(l -> l.split(" "))
                .filter(f -> f.length >= 3 && f[1].equalsIgnoreCase(mac)).map(f -> f[2]).findFirst().orElse("-");
    }

    private static List<String> links(String type) {
        String json = ns.run("ip", "-j", "link", "show", "type", type).stdout();
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"ifname\":\"([^\"]+)\"").matcher(json);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static List<String> bridges() {
        return links("bridge");
    }

    private static List<String> taps() {
        String json = ns.run("ip", "-j", "-d", "link", "show").stdout();
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"ifname\":\"(tap-[^\"]+)\"").matcher(json);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static List<String> projectUnits() {
        try (SystemdUserManager client = systemd.connect()) {
            return client.listUnits("qemu-compose-").stream().map(UnitStatus::name).toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
