package io.qemucompose.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.ssh.SshClient;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.testkit.Commands;
import io.qemucompose.testkit.FreePorts;
import io.qemucompose.testkit.GuestImage;
import io.qemucompose.testkit.PrivateSystemdUser;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 18's verbs on one real booted guest, in order: stats/port/top/ls on the running VM,
 * pause (ps says paused, the guest clock stops) and unpause, restart keeping the disk, kill with
 * a concurrent wait that reports the signal, and up bringing the killed VM back. Then a VM gated
 * by a profile: not planned without {@code --profile}, scaled to two instances with it (one
 * parallel boot of both), reached as {@code worker-2}, and scaled back to one, which removes
 * {@code worker-2}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerbsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static PrivateSystemdUser systemd = new PrivateSystemdUser();

    private Path home;
    private Path projectDir;
    private Cli cli;
    private FreePorts.PortLease webPort;

    @BeforeAll
    void bootOneVmAndWriteAFileOnItsDisk() throws Exception {
        home = Files.createTempDirectory("qc-verbs-it");
        projectDir = Files.createDirectories(home.resolve("verbs"));
        webPort = FreePorts.lease();
        Files.writeString(projectDir.resolve("qemu-compose.yaml"), """
                vms:
                  web:
                    image: %s
                    cpu: 2
                    memory: 1024
                    ports:
                      - "127.0.0.1:%d:80"
                  worker:
                    image: %1$s
                    memory: 1024
                    profiles: [extra]
                """.formatted(GuestImage.path(), webPort.port()));
        cli = new Cli(projectDir, Cli.environment(systemd.environment(), home));
        Cli.Run up = cli.run("up", "--wait-timeout", "600");
        assertThat(up.exitCode()).as(up.toString()).isZero();
        assertThat(guest("echo kept > marker && sync && cat marker").stdout()).isEqualTo("kept\n");
    }

    @AfterAll
    void destroyEverything() throws Exception {
        if (cli != null) {
            System.out.println(cli.run("destroy"));
        }
        if (webPort != null) {
            webPort.close();
        }
        if (home != null) {
            try (var files = Files.walk(home)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A command in the guest with its output (the `ssh` verb hands the terminal to OpenSSH instead). */
    private SshClient.ExecResult guest(String command) {
        String config = cli.run("ssh-config", "web").out();
        ProjectLayout layout = new ProjectLayout(projectDir);
        var target = new SshClient.Target("127.0.0.1", Integer.parseInt(field(config, "Port")), field(config, "User"),
                layout.sshPrivateKey());
        return new SshClient(layout.knownHosts()).exec(target, command, Duration.ofSeconds(60));
    }

    private static String field(String sshConfig, String key) {
        Matcher m = Pattern.compile("(?m)^\\s*" + key + " \"?([^\"\\s]+)\"?$").matcher(sshConfig);
        assertThat(m.find()).as(key + " in\n" + sshConfig).isTrue();
        return m.group(1);
    }

    private String psState() throws Exception {
        Cli.Run ps = cli.run("ps", "--format", "json", "--probe-timeout", "30", "web");
        return JSON.readTree(ps.out()).get(0).path("status").asString();
    }

    @Test
    @Order(1)
    void statsPortTopAndLsDescribeTheRunningVm() throws Exception {
        Cli.Run stats = cli.run("stats", "--no-stream", "--format", "json");
        assertThat(stats.exitCode()).as(stats.toString()).isZero();
        System.out.println("stats: " + stats.out() + "\n" + cli.run("stats", "--no-stream").out());
        JsonNode row = JSON.readTree(stats.out()).get(0);
        assertThat(row.path("cpu_percent").asDouble()).as(stats.out()).isGreaterThan(0.0);
        assertThat(row.path("memory_bytes").asLong()).as(stats.out()).isPositive();
        assertThat(row.path("block_read_bytes").asLong()).as(stats.out()).isPositive();

        Cli.Run ssh = cli.run("port", "web", "22");
        assertThat(ssh.exitCode()).as(ssh.toString()).isZero();
        String[] address = ssh.out().strip().split(":");
        assertThat(address[0]).isEqualTo("127.0.0.1");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address[0], Integer.parseInt(address[1])), 5000);
            s.setSoTimeout(30_000);
            byte[] banner = new byte[4];
            assertThat(s.getInputStream().readNBytes(banner, 0, 4)).isEqualTo(4);
            assertThat(new String(banner)).isEqualTo("SSH-");
        }
        assertThat(cli.run("port", "web", "80").out()).isEqualTo("127.0.0.1:" + webPort.port() + "\n");
        Cli.Run unpublished = cli.run("port", "web", "443");
        assertThat(unpublished.exitCode()).isEqualTo(1);
        assertThat(unpublished.err()).contains("guest port 443/tcp is not published");

        Cli.Run top = cli.run("top", "web");
        assertThat(top.exitCode()).as(top.toString()).isZero();
        assertThat(top.out()).startsWith("web |").contains("sshd").contains("PID");

        Cli.Run ls = cli.run("ls", "--format", "json");
        assertThat(ls.exitCode()).as(ls.toString()).isZero();
        JsonNode project = JSON.readTree(ls.out()).get(0);
        assertThat(project.path("name").asString()).isEqualTo("verbs");
        assertThat(project.path("folder").asString()).isEqualTo(projectDir.toString());
        assertThat(project.path("status").asString()).isEqualTo("running(1)");
    }

    @Test
    @Order(2)
    void pauseFreezesTheGuestAndItsClockAndUnpauseResumesIt() throws Exception {
        long guestBefore = Long.parseLong(guest("date +%s%N").stdout().strip());
        long hostBefore = System.currentTimeMillis();
        Cli.Run pause = cli.run("pause", "web");
        assertThat(pause.exitCode()).as(pause.toString()).isZero();
        assertThat(pause.out()).isEqualTo("Paused web\n");
        assertThat(psState()).isEqualTo("paused");
        // frozen for a known time on purpose: the guest's clock must not have moved meanwhile
        Thread.sleep(6000);
        Cli.Run unpause = cli.run("unpause", "web");
        assertThat(unpause.exitCode()).as(unpause.toString()).isZero();
        long guestAfter = Long.parseLong(guest("date +%s%N").stdout().strip());
        long hostAfter = System.currentTimeMillis();
        long guestMillis = (guestAfter - guestBefore) / 1_000_000;
        long hostMillis = hostAfter - hostBefore;
        System.out.println("pause: host " + hostMillis + " ms, guest " + guestMillis + " ms");
        assertThat(hostMillis - guestMillis).as("guest time lost while paused").isGreaterThan(4000);
        assertThat(psState()).isEqualTo("ready");
    }

    @Test
    @Order(3)
    void restartIsAPlannedStopAndStartThatKeepsTheDisk() throws Exception {
        ProjectLayout layout = new ProjectLayout(projectDir);
        long before = qemuPid(layout);
        Object disk = Files.readAttributes(layout.overlayDisk("web"), BasicFileAttributes.class).fileKey();
        long start = System.nanoTime();
        // no --wait (CI time): the next step kills this boot and waits for the one after; the marker
        // written before both is read there
        Cli.Run restart = cli.run("restart", "-t", "60", "web");
        System.out.println("restart: " + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s\n" + restart);
        assertThat(restart.exitCode()).as(restart.toString()).isZero();
        assertThat(restart.out()).contains("Restarting 1 VM(s)", "web: stopped (guest-agent)", "✓ VMs restarted");
        assertThat(qemuPid(layout)).as("a new QEMU").isNotEqualTo(before);
        assertThat(Files.readAttributes(layout.overlayDisk("web"), BasicFileAttributes.class).fileKey())
                .as("the same disk").isEqualTo(disk);
    }

    private static long qemuPid(ProjectLayout layout) throws Exception {
        Path pidFile = layout.qemuPidFile("web");
        Commands.awaitCondition("QEMU's pid file", Duration.ofSeconds(30), Duration.ofMillis(100),
                () -> Files.exists(pidFile));
        return Long.parseLong(Files.readString(pidFile).strip());
    }

    @Test
    @Order(4)
    void killFailsTheUnitAWaitReportsItAndUpBringsTheVmBack() throws Exception {
        CompletableFuture<Cli.Run> wait = CompletableFuture.supplyAsync(() -> cli.run("wait", "web"));
        // the wait is subscribed once it has read the unit once; a head start for its D-Bus connection
        Thread.sleep(3000);
        Cli.Run kill = cli.run("kill", "web");
        assertThat(kill.exitCode()).as(kill.toString()).isZero();
        assertThat(kill.out()).isEqualTo("Sent SIGKILL to web\n");
        Cli.Run waited = wait.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(waited.exitCode()).as(waited.toString()).isEqualTo(1);
        assertThat(waited.out()).isEqualTo("web: stopped, result signal (exit 1)\n");
        assertThat(psState()).isIn("failed", "stopped");

        Cli.Run up = cli.run("up", "--wait-timeout", "600");
        assertThat(up.exitCode()).as("up after kill: " + up).isZero();
        assertThat(psState()).isEqualTo("ready");
        assertThat(guest("cat marker").stdout()).as("written before the restart and the kill")
                .isEqualTo("kept\n");
    }

    @Test
    @Order(5)
    void aProfileGatedVmScalesToTwoInstancesAndBackToOne() throws Exception {
        Cli.Run plain = cli.run("plan");
        assertThat(plain.exitCode()).as(plain.toString()).isZero();
        assertThat(plain.out()).doesNotContain("worker");
        assertThat(cli.run("--profile", "extra", "plan").out()).contains("# vm.worker will be created");
        Cli.Run shared = cli.run("up", "--scale", "web=2");
        assertThat(shared.exitCode()).as(shared.toString()).isEqualTo(1);
        assertThat(shared.err()).contains("vms.web.ports[0]: 2 instances of 'web'");

        long start = System.nanoTime();
        Cli.Run up = cli.run("--profile", "extra", "up", "--scale", "worker=2", "--wait-timeout", "600");
        System.out.println("scale to 2: " + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s\n" + up);
        assertThat(up.exitCode()).as(up.toString()).isZero();
        assertThat(up.out()).contains("VM: worker-2").doesNotContain("VM: web\n");
        assertThat(cli.run("ssh", "-n", "-T", "worker-2", "--", "sh", "-c", "test \"$(hostname)\" = worker-2")
                .exitCode()).isZero();
        // a later command sees the instance the file does not ask for, as docker compose sees its container
        Cli.Run ps = cli.run("ps", "--format", "json", "--probe-timeout", "30", "worker");
        JsonNode rows = JSON.readTree(ps.out());
        assertThat(rows).extracting(r -> r.path("name").asString() + " " + r.path("status").asString())
                .as(ps.toString()).containsExactly("worker ready", "worker-2 ready");

        Cli.Run plan = cli.run("--profile", "extra", "plan", "--scale", "worker=1");
        assertThat(plan.out()).as(plan.toString()).contains("# vm.worker-2 will be destroyed")
                .contains("0 to add, 0 to change, 1 to destroy");
        Cli.Run down = cli.run("--profile", "extra", "up", "--scale", "worker=1");
        assertThat(down.exitCode()).as(down.toString()).isZero();
        assertThat(projectDir.resolve(".qemu-compose/worker-2")).doesNotExist();
        assertThat(JSON.readTree(cli.run("ps", "--format", "json", "-a", "--no-probe").out()))
                .extracting(r -> r.path("name").asString()).contains("web", "worker").doesNotContain("worker-2");
        System.out.println("profile + scale scenario: " + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s");
    }
}
