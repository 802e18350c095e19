package io.qemucompose.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.ssh.SshClient;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.testkit.Commands;
import io.qemucompose.testkit.GuestImage;
import io.qemucompose.testkit.PrivateSystemdUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
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
 * Issue 12 on one booted guest with a 9p share, in order: suspend and resume (same process, uptime
 * goes on, file kept, clock right, share mounted again), snapshot save / change / restore (change
 * gone, no reboot), and last a memory change, which drops the saved state and starts QEMU afresh.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SnapshotsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String YAML = """
            vms:
              web:
                image: %s
                cpu: 2
                memory: %d
                volumes:
                  - ./share:/mnt/share
            """;

    @RegisterExtension
    static PrivateSystemdUser systemd = new PrivateSystemdUser();

    private Path home;
    private Path projectDir;
    private Cli cli;

    @BeforeAll
    void bootOneVmWithAShare() throws Exception {
        home = Files.createTempDirectory("qc-snapshots-it");
        projectDir = Files.createDirectories(home.resolve("snaps"));
        Files.createDirectories(projectDir.resolve("share"));
        Files.writeString(projectDir.resolve("share/hello.txt"), "from the host\n");
        Files.writeString(projectDir.resolve("qemu-compose.yaml"), YAML.formatted(GuestImage.path(), 1024));
        cli = new Cli(projectDir, Cli.environment(systemd.environment(), home));
        long start = System.nanoTime();
        Cli.Run up = cli.run("up", "--wait-timeout", "600");
        assertThat(up.exitCode()).as(up.toString()).isZero();
        System.out.println("cold up -> ready: " + seconds(start) + " s");
        assertThat(guest("cat /mnt/share/hello.txt").stdout()).isEqualTo("from the host\n");
    }

    @AfterAll
    void destroyEverything() throws Exception {
        if (cli != null) {
            System.out.println(cli.run("destroy"));
        }
        if (home != null) {
            try (var files = Files.walk(home)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void suspendThenUpResumesTheSameRunningGuestWithItsShareAndTheRightTime() throws Exception {
        String pid = guest("echo kept > marker && sync && (nohup sleep 100000 >/dev/null 2>&1 & echo $!)").stdout().strip();
        double uptimeBefore = uptime();

        Cli.Run suspend = cli.run("suspend");
        assertThat(suspend.exitCode()).as(suspend.toString()).isZero();
        assertThat(suspend.out()).contains("web: suspended");
        ProjectLayout layout = new ProjectLayout(projectDir);
        assertThat(layout.savedState("web")).isRegularFile();
        assertThat(layout.savedStatePart("web")).doesNotExist();
        System.out.println("saved state: " + Files.size(layout.savedState("web")) / (1 << 20) + " MiB");
        assertThat(psState()).isEqualTo("suspended");
        Cli.Run plan = cli.run("plan");
        assertThat(plan.out()).as(plan.toString()).contains("# vm.web will be resumed from its saved state");

        // the host's clock must run on while the guest sleeps, or "the clock is right" proves nothing
        Thread.sleep(6000);
        long start = System.nanoTime();
        Cli.Run up = cli.run("up", "--wait-timeout", "300");
        double resumeSeconds = seconds(start);
        assertThat(up.exitCode()).as(up.toString()).isZero();
        System.out.println("up from suspend -> ready: " + resumeSeconds + " s\n" + up.out());
        assertThat(layout.savedState("web")).as("the disk moves on: the state is spent").doesNotExist();

        assertThat(guest("kill -0 " + pid + " && echo alive").stdout()).isEqualTo("alive\n");
        assertThat(guest("cat marker").stdout()).isEqualTo("kept\n");
        double uptimeAfter = uptime();
        assertThat(uptimeAfter).as("uptime goes on from where it was (no boot)").isGreaterThan(uptimeBefore)
                .isLessThan(uptimeBefore + 600);
        assertClockWithinTwoSeconds();
        // the shared folder belongs to the host's user (root here), so the guest writes it as root
        assertThat(guest("cat /mnt/share/hello.txt && echo back | sudo tee /mnt/share/from-guest.txt >/dev/null").stdout())
                .isEqualTo("from the host\n");
        assertThat(projectDir.resolve("share/from-guest.txt")).content().isEqualTo("back\n");
        assertThat(psState()).isEqualTo("ready");
    }

    @Test
    @Order(2)
    void aRestoredSnapshotUndoesAChangeWithoutAReboot() throws Exception {
        guest("echo before > snapfile && sync");
        String kept = guest("(nohup sleep 100002 >/dev/null 2>&1 & echo $!)").stdout().strip();
        String bootId = guest("cat /proc/sys/kernel/random/boot_id").stdout();
        Cli.Run save = cli.run("snapshot", "save", "web", "s1");
        assertThat(save.exitCode()).as(save.toString()).isZero();
        Cli.Run ls = cli.run("snapshot", "ls", "--format", "json");
        JsonNode rows = JSON.readTree(ls.out());
        assertThat(rows).as(ls.toString()).hasSize(1);
        assertThat(rows.get(0).path("name").asString()).isEqualTo("s1");
        assertThat(rows.get(0).path("ram_bytes").asLong()).isPositive();
        Cli.Run again = cli.run("snapshot", "save", "web", "s1");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("has a snapshot named 's1' already");
        Cli.Run bad = cli.run("snapshot", "save", "web", "../x");
        assertThat(bad.err()).contains("snapshot name '../x' is not allowed");

        String pid = guest("echo after > snapfile && sync && (nohup sleep 100001 >/dev/null 2>&1 & echo $!)").stdout().strip();
        Cli.Run restore = cli.run("snapshot", "restore", "web", "s1");
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        System.out.println(restore.out());
        assertThat(guest("cat snapfile").stdout()).as("the change is gone").isEqualTo("before\n");
        assertThat(guest("kill -0 " + pid + " 2>/dev/null && echo alive || echo gone").stdout())
                .as("a process started after the snapshot is gone too").isEqualTo("gone\n");
        assertThat(guest("cat /proc/sys/kernel/random/boot_id").stdout()).as("no reboot: the same boot").isEqualTo(bootId);
        assertThat(guest("kill -0 " + kept + " && echo alive").stdout()).as("a process of the snapshot runs on")
                .isEqualTo("alive\n");
        assertClockWithinTwoSeconds();
        assertThat(guest("cat /mnt/share/hello.txt").stdout()).isEqualTo("from the host\n");

        Cli.Run rm = cli.run("snapshot", "rm", "web", "s1");
        assertThat(rm.exitCode()).as(rm.toString()).isZero();
        assertThat(JSON.readTree(cli.run("snapshot", "ls", "--format", "json").out())).isEmpty();
    }

    @Test
    @Order(3)
    void aMemoryChangeDropsTheSavedStateAndBoots() throws Exception {
        assertThat(cli.run("stop", "--suspend").exitCode()).isZero();
        Files.writeString(projectDir.resolve("qemu-compose.yaml"), YAML.formatted(GuestImage.path(), 1536));
        Cli.Run plan = cli.run("plan");
        assertThat(plan.out()).as(plan.toString()).contains("# vm.web will be booted afresh; its saved state is dropped",
                "~ memory = \"1 GiB\" -> \"1536 MiB\" (restart)");
        ProjectLayout layout = new ProjectLayout(projectDir);
        Object disk = Files.readAttributes(layout.overlayDisk("web"), BasicFileAttributes.class).fileKey();
        long consoleBefore = Files.size(layout.consoleLog("web"));
        // --no-wait (CI time): what is tested is the QEMU that up starts and that its guest boots,
        // not a second boot to ready
        Cli.Run up = cli.run("up", "--no-wait");
        assertThat(up.exitCode()).as(up.toString()).isZero();
        assertThat(layout.savedState("web")).doesNotExist();
        Commands.awaitCondition("QEMU's pid file", Duration.ofSeconds(30), Duration.ofMillis(100),
                () -> Files.exists(layout.qemuPidFile("web")));
        long pid = Long.parseLong(Files.readString(layout.qemuPidFile("web")).strip());
        List<String> argv = List.of(Files.readString(Path.of("/proc/" + pid + "/cmdline")).split("\0"));
        assertThat(argv).as("a fresh boot, with the new memory").doesNotContain("-incoming")
                .containsSubsequence("-m", "1536M");
        assertThat(Files.readAttributes(layout.overlayDisk("web"), BasicFileAttributes.class).fileKey())
                .as("the disk is kept").isEqualTo(disk);
        Commands.awaitCondition("the guest to boot as far as cloud-init (" + layout.consoleLog("web") + ")", Duration.ofSeconds(400),
                Duration.ofMillis(500), () -> consoleSince(layout.consoleLog("web"), consoleBefore).contains("Cloud-init v."));
        Cli.Run ps = cli.run("ps", "--format", "json", "--no-probe", "web");
        assertThat(JSON.readTree(ps.out()).get(0).path("status").asString()).as(ps.toString())
                .isIn("active", "starting", "ready");
    }

    private static String consoleSince(Path log, long offset) {
        try {
            byte[] all = Files.readAllBytes(log);
            int from = (int) Math.min(offset, all.length);
            return new String(all, from, all.length - from, java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private void assertClockWithinTwoSeconds() {
        double guestNow = Double.parseDouble(guest("date +%s.%N").stdout().strip());
        double hostNow = System.currentTimeMillis() / 1000.0;
        // the SSH round trip is part of the difference, so this is stricter than the promise
        assertThat(Math.abs(hostNow - guestNow)).as("guest clock vs host clock (s)").isLessThan(2.0);
    }

    private double uptime() {
        return Double.parseDouble(guest("cut -d' ' -f1 /proc/uptime").stdout().strip());
    }

    private SshClient.ExecResult guest(String command) {
        String config = cli.run("ssh-config", "web").out();
        ProjectLayout layout = new ProjectLayout(projectDir);
        var target = new SshClient.Target("127.0.0.1", Integer.parseInt(field(config, "Port")), field(config, "User"),
                layout.sshPrivateKey());
        SshClient.ExecResult r = new SshClient(layout.knownHosts()).exec(target, command, Duration.ofSeconds(60));
        assertThat(r.exitCode()).as(command + ": " + r.stderr()).isZero();
        return r;
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

    private static double seconds(long start) {
        return Math.round((System.nanoTime() - start) / 1e8) / 10.0;
    }
}
