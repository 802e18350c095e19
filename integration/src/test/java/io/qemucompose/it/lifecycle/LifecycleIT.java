package io.qemucompose.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qemucompose.testkit.CommandResult;
import io.qemucompose.testkit.GuestImage;
import io.qemucompose.testkit.PrivateSystemdUser;
import io.qemucompose.testkit.StopAfterFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's acceptance story on the real Debian guest, through the real CLI: two VMs are planned,
 * brought up, reached over SSH, changed and restarted on the same disk, stopped gracefully, started
 * again and destroyed. The steps share the booted VMs; a failed step skips the ones after it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LifecycleIT {

    @RegisterExtension
    static PrivateSystemdUser systemd = new PrivateSystemdUser();

    @RegisterExtension
    final StopAfterFailure chain = new StopAfterFailure();

    @TempDir
    static Path root;

    private ComposeProjectFixture project;
    private String baseImageHash;

    @BeforeAll
    void writeTwoVmProject() throws Exception {
        project = new ComposeProjectFixture(root, "lifecycle", systemd);
        project.writeCompose(memory(768, 768));
        baseImageHash = sha256(GuestImage.path());
    }

    @AfterAll
    void destroyWhateverIsLeft() {
        if (project != null && Files.exists(project.layout().stateDir())) {
            project.destroyQuietly();
        }
    }

    @Test
    @Order(1)
    void planShowsTwoVmsToCreate() {
        var plan = project.cli("plan", "--detailed-exitcode");
        assertThat(plan.code()).as(plan.toString()).isEqualTo(2);
        assertThat(plan.out()).contains("# vm.web will be created", "# vm.db will be created",
                "Plan: 2 to add, 0 to change, 0 to destroy.");
    }

    @Test
    @Order(2)
    void upBringsBothVmsToReady() {
        var up = project.cli("up");
        assertThat(up.code()).as(up.toString()).isZero();
        assertThat(up.out()).contains("web: ready", "db: ready", "VM: web", "OK Started (unit: qemu-compose-",
                "OK All VMs started successfully");
        assertThat(project.unitStatus("web").isActive()).isTrue();
        assertThat(project.unitStatus("db").isActive()).isTrue();
        assertThat(project.sshPort("web")).isNotEqualTo(project.sshPort("db"));
    }

    @Test
    @Order(3)
    void sshReachesEachVmUnderItsOwnHostname() {
        for (String vm : new String[] {"web", "db"}) {
            CommandResult hostname = project.ssh(vm, "hostname");
            assertThat(hostname.exitCode()).as(hostname.toString()).isZero();
            assertThat(hostname.stdout().strip()).isEqualTo(vm);
            // provision steps ran (as root, with the VM's environment) before the VM counted as ready
            assertThat(project.sshOut(vm, "cat /var/tmp/provisioned").strip()).isEqualTo(vm + " provisioned");
        }
    }

    @Test
    @Order(4)
    void planAfterUpHasNoChanges() {
        var plan = project.cli("plan", "--detailed-exitcode");
        assertThat(plan.code()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("No changes.");
    }

    @Test
    @Order(5)
    void aStalePlanFileIsRefusedAndChangesNothing() throws Exception {
        var saved = project.cli("plan", "--out", "p.json");
        assertThat(saved.code()).as(saved.toString()).isZero();
        project.writeCompose(memory(1024, 768));
        String stateBefore = Files.readString(project.layout().stateFile());

        var apply = project.cli("apply", "p.json");

        assertThat(apply.code()).as(apply.toString()).isEqualTo(1);
        assertThat(apply.err()).contains("stale");
        assertThat(Files.readString(project.layout().stateFile())).isEqualTo(stateBefore);
        assertThat(project.sshOut("web", "grep MemTotal /proc/meminfo")).satisfies(m ->
                assertThat(memTotalKb(m)).isLessThan(800_000));
        project.writeCompose(memory(768, 768));
    }

    @Test
    @Order(6)
    void changingMemoryOfOneVmPlansARestartOfThatVmOnly() {
        project.writeCompose(memory(1024, 768));
        var plan = project.cli("plan", "--detailed-exitcode");
        assertThat(plan.code()).as(plan.toString()).isEqualTo(2);
        assertThat(plan.out()).contains("# vm.web will be restarted", "~ vm \"web\"")
                .containsPattern("~ memory\\s+= \"768 MiB\" -> \"1 GiB\" \\(restart\\)")
                .contains("Plan: 0 to add, 1 to change, 0 to destroy.")
                .doesNotContain("vm.db");
    }

    @Test
    @Order(7)
    void applyRestartsWebWithTheNewMemory() {
        String dbBootId = project.sshOut("db", "cat /proc/sys/kernel/random/boot_id");
        CommandResult write = project.ssh("web", "echo kept-across-boots > ~/marker && sync");
        assertThat(write.exitCode()).as(write.toString()).isZero();
        var apply = project.cli("apply", "--yes");
        assertThat(apply.code()).as(apply.toString()).isZero();
        assertThat(apply.out()).contains("Apply complete.");

        assertThat(memTotalKb(project.sshOut("web", "grep MemTotal /proc/meminfo"))).isGreaterThan(900_000);
        assertThat(project.sshOut("web", "cat ~/marker").strip()).as("the restart booted the same disk")
                .isEqualTo("kept-across-boots");
        assertThat(project.sshOut("db", "cat /proc/sys/kernel/random/boot_id"))
                .as("db was not restarted").isEqualTo(dbBootId);
        assertThat(project.cli("plan", "--detailed-exitcode").code()).isZero();
    }

    @Test
    @Order(8)
    void stopShutsWebDownGracefully() throws Exception {
        Path console = project.layout().consoleLog("web");
        long consoleBefore = Files.size(console);

        var stop = project.cli("stop", "web");

        assertThat(stop.code()).as(stop.toString()).isZero();
        assertThat(stop.out()).containsPattern("web: stopped \\((guest-agent|acpi|ssh-poweroff)\\)");
        assertThat(project.unitStatus("web").isActive()).isFalse();
        assertThat(project.unitStatus("db").isActive()).isTrue();
        String shutdown = tail(console, consoleBefore);
        assertThat(shutdown).as("console output of the shutdown").contains("reboot: Power down");
    }

    @Test
    @Order(9)
    void upAgainStartsWebOnTheSameDiskAndPort() throws Exception {
        int port = project.sshPort("web");
        Object disk = Files.readAttributes(project.layout().overlayDisk("web"), BasicFileAttributes.class).fileKey();
        // --no-wait (CI time): that a start boots the same disk with its data is step 7's restart;
        // here up starts only the stopped VM, on its disk and its SSH port
        var up = project.cli("up", "--no-wait");
        assertThat(up.code()).as(up.toString()).isZero();
        assertThat(up.out()).contains("web: started").doesNotContain("db: started", "db: stopped");
        assertThat(project.unitStatus("web").isActive()).isTrue();
        assertThat(project.sshPort("web")).isEqualTo(port);
        assertThat(Files.readAttributes(project.layout().overlayDisk("web"), BasicFileAttributes.class).fileKey())
                .isEqualTo(disk);
    }

    @Test
    @Order(10)
    void destroyLeavesNoUnitNoInstanceAndTheBaseImage() throws Exception {
        var destroy = project.cli("destroy");
        assertThat(destroy.code()).as(destroy.toString()).isZero();

        assertThat(project.projectUnits()).isEmpty();
        assertThat(project.unitStatus("web").loaded()).isFalse();
        assertThat(project.layout().vmDir("web")).doesNotExist();
        assertThat(project.layout().vmDir("db")).doesNotExist();
        assertThat(project.state().vms()).isEmpty();
        assertThat(sha256(GuestImage.path())).as("base image untouched").isEqualTo(baseImageHash);
        var plan = project.cli("plan", "--detailed-exitcode");
        assertThat(plan.code()).isEqualTo(2);
        assertThat(plan.out()).contains("Plan: 2 to add");
    }

    private static Map<String, Integer> memory(int web, int db) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("web", web);
        m.put("db", db);
        return m;
    }

    private static long memTotalKb(String meminfoLine) {
        return Long.parseLong(meminfoLine.replaceAll("[^0-9]", ""));
    }

    private static String tail(Path file, long from) throws Exception {
        byte[] all = Files.readAllBytes(file);
        return new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                StandardCharsets.ISO_8859_1);
    }

    static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
