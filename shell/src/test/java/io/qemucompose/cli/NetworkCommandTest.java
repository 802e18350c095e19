package io.qemucompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.network.MacAddresses;
import io.qemucompose.state.NetworkAllocations;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.ProjectState;
import io.qemucompose.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code network ls|rm} and the bridge side of {@code ssh-config}, in-process, with no systemd reachable. */
class NetworkCommandTest {

    @TempDir
    Path dir;

    private Map<String, String> env;

    @BeforeEach
    void project() throws Exception {
        Files.writeString(dir.resolve("qemu-compose.yaml"), """
                name: shop
                networks:
                  front: {driver: bridge, subnet: 10.9.8.0/24}
                  back: {driver: bridge, subnet: auto}
                vms:
                  web:
                    image: https://example.org/debian-12.qcow2
                    networks: [front, back]
                  db:
                    image: https://example.org/debian-12.qcow2
                """);
        // no user bus here: the commands must say so or do without it, never reach the real one
        env = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), "HOME", dir.toString(),
                "XDG_RUNTIME_DIR", dir.toString(), "DBUS_SESSION_BUS_ADDRESS", "unix:path=" + dir.resolve("no-bus"));
    }

    @Test
    void networkAndItsSubcommandsHaveHelp() {
        CliRun network = CliRun.run(dir, env, "network", "--help");
        assertThat(network.exitCode()).isZero();
        assertThat(network.out()).startsWith("Usage: qemu-compose network").contains("ls", "rm");
        for (String sub : List.of("ls", "rm")) {
            CliRun run = CliRun.run(dir, env, "network", sub, "--help");
            assertThat(run.exitCode()).as(sub).isZero();
            assertThat(run.out()).as(sub).startsWith("Usage: qemu-compose network " + sub);
        }
        assertThat(CliRun.run(dir, env, "network", "rm", "--help").out()).contains("Refused while a running VM is attached");
    }

    @Test
    void usageErrorsExitTwo() {
        CliRun bare = CliRun.run(dir, env, "network");
        assertThat(bare.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(bare.err()).contains("Missing network command (ls or rm)");
        assertThat(CliRun.run(dir, env, "network", "rm").exitCode()).isEqualTo(ExitCode.USAGE);
        CliRun format = CliRun.run(dir, env, "network", "ls", "--format", "yaml");
        assertThat(format.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(format.err()).contains("table", "json");
    }

    @Test
    void completionKnowsTheNetworkCommands() {
        CliRun run = CliRun.run(dir, env, "completion", "bash");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("network").contains("_picocli_qemu-compose_network_ls");
    }

    @Test
    void lsShowsRecordedFactsWhenSystemdCannotBeAsked() throws Exception {
        new NetworkAllocations(new ProjectLayout(dir)).update(f -> f.with("front", new NetworkAllocations.Network(
                "10.9.8.0/24", "10.9.8.0/24", "qc-shop-front", Instant.EPOCH, Map.of("web", "10.9.8.7"))));

        CliRun run = CliRun.run(dir, env, "network", "ls");

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                NAME    DRIVER   SUBNET               BRIDGE          DHCP      VMS
                front   bridge   10.9.8.0/24          qc-shop-front   unknown   web
                back    bridge   auto (not created)   qc-shop-back    unknown   web
                """);
    }

    @Test
    void rmOfAnUnknownNetworkFailsWithoutTouchingAnything() {
        CliRun run = CliRun.run(dir, env, "network", "rm", "nosuch");
        assertThat(run.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(run.err()).isEqualTo("qemu-compose: no network named nosuch in project shop\n");
    }

    @Test
    void sshConfigAddsAHostPerBridgeNetworkThatSshReadsBack() throws Exception {
        ProjectLayout layout = new ProjectLayout(dir);
        new StateStore(layout).update(s -> s.withVm("web", ProjectState.VmRecord.created(Instant.EPOCH).withSshPort(2301)));
        Files.createDirectories(layout.sshPrivateKey().getParent());
        Files.writeString(layout.sshPrivateKey(), "");
        new NetworkAllocations(layout).update(f -> f
                .with("front", new NetworkAllocations.Network("10.9.8.0/24", "10.9.8.0/24", "qc-shop-front",
                        Instant.EPOCH, Map.of("web", "10.9.8.7")))
                .with("back", new NetworkAllocations.Network("auto", "172.16.4.0/24", "qc-shop-back",
                        Instant.EPOCH, Map.of())));
        // back holds no reservation for web, but a lease of web's card on back is enough
        Files.createDirectories(layout.dhcpLeases("back").getParent());
        Files.writeString(layout.dhcpLeases("back"), "0 " + MacAddresses.of("shop", "web", "back") + " 172.16.4.9 web *\n");

        CliRun run = CliRun.run(dir, env, "ssh-config");

        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("Host web\n  HostName 127.0.0.1\n  Port 2301\n",
                "Host web.front\n  HostName 10.9.8.7\n  Port 22\n", "Host web.back\n  HostName 172.16.4.9\n  Port 22\n");
        Path config = Files.writeString(dir.resolve("ssh_config"), run.out());
        Map<String, String> front = sshG(config, "web.front");
        assertThat(front).containsEntry("hostname", "10.9.8.7").containsEntry("port", "22")
                .containsEntry("user", "debian").containsEntry("identityfile", layout.sshPrivateKey().toString())
                .containsEntry("userknownhostsfile", layout.knownHosts().toString())
                .doesNotContainKeys("proxycommand", "proxyjump");
        assertThat(sshG(config, "web")).containsEntry("hostname", "127.0.0.1").containsEntry("port", "2301");
    }

    /** {@code ssh -G -F file host}: what OpenSSH would use, without connecting. */
    private static Map<String, String> sshG(Path config, String host) throws Exception {
        List<String> command = new ArrayList<>(List.of("ssh", "-G", "-F", config.toString(), host));
        Process ssh = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(ssh.getInputStream().readAllBytes());
        assertThat(ssh.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ssh.exitValue()).as(out).isZero();
        Map<String, String> parsed = new HashMap<>();
        out.lines().filter(l -> l.contains(" "))
                .forEach(l -> parsed.putIfAbsent(l.substring(0, l.indexOf(' ')), l.substring(l.indexOf(' ') + 1)));
        return parsed;
    }
}
