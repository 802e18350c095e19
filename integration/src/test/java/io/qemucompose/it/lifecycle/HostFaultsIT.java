package io.qemucompose.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.systemd.UnitStatus;
import io.qemucompose.state.ProjectState;
import io.qemucompose.testkit.Commands;
import io.qemucompose.testkit.PrivateSystemdUser;
import io.qemucompose.testkit.SmallFilesystem;
import io.qemucompose.testkit.StopAfterFailure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of the host around a running project whose folder is a small tmpfs: a real guest
 * ({@code subject}) and a QEMU idling on an empty disk ({@code keep}). The disk full while the
 * overlay and the volume are made, QEMU killed mid-boot, the
 * systemd user manager re-executed under running VMs, the SSH port taken by another program while
 * the VM was stopped, and eight commands at once on the project. After each fault the next
 * {@code up} converges ("No changes"), the volume's data is intact and the other VM ({@code keep})
 * is the same QEMU process throughout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 25, unit = TimeUnit.MINUTES)
class HostFaultsIT {

    /** Raise to vary the interleaving more: a second round cost ~3 min of CI and found nothing new. */
    private static final int STORM_ROUNDS = 1;

    @RegisterExtension
    static PrivateSystemdUser systemd = new PrivateSystemdUser();

    @RegisterExtension
    final StopAfterFailure chain = new StopAfterFailure();

    @TempDir
    static Path root;

    private SmallFilesystem disk;
    private ComposeProjectFixture project;
    private long keepPid;
    private final List<String> faults = new ArrayList<>();

    @BeforeAll
    void projectOnASmallDisk() throws IOException {
        disk = SmallFilesystem.mount(root.resolve("faults"), 384);
        project = new ComposeProjectFixture(root, "faults", systemd);
        Files.writeString(project.dir().resolve("qemu-compose.yaml"), ComposeProjectFixture.keepAndSubject("64M", ComposeProjectFixture.blankImage(root)));
    }

    @AfterAll
    void cleanUp() {
        try {
            if (project != null) {
                project.destroyQuietly();
                project.cli("destroy", "-v");
            }
        } finally {
            if (disk != null) {
                disk.close();
            }
            System.out.println("host faults survived: " + faults);
        }
    }

    @Test
    @Order(1)
    void aFullDiskFailsUpClearlyAndTheNextUpConverges() {
        var keep = project.cli("up", "--no-wait", "keep"); // an empty disk: never ready, never booting
        assertThat(keep.code()).as(keep.toString()).isZero();
        keepPid = project.unitStatus("keep").mainPid();

        disk.fillLeaving(96 * 1024);
        var full = project.cli("up", "--no-wait", "subject");
        assertThat(full.code()).as(full.toString()).isNotZero();
        // the actions run in parallel, so several may meet the full disk: each says so on one line
        assertThat(full.err()).as("a clear line naming the cause").contains("No space left on device");
        assertThat(full.err().lines().filter(l -> l.strip().startsWith("✗")).toList()).as(full.err())
                .isNotEmpty().allSatisfy(l -> assertThat(l).contains("No space left on device"));
        assertThat(full.err()).as("no stack trace").doesNotContain("\tat ", "Exception");
        assertThat(project.unitStatus("subject").loaded()).as("nothing started").isFalse();
        assertThat(leftovers()).as("no half-made overlay, seed or volume under a final name").isEmpty();
        ProjectState readable = project.state();
        assertThat(readable.vms()).containsKey("keep");

        disk.deflate();
        var up = project.cli("up", "subject");
        assertThat(up.code()).as(up.toString()).isZero();
        assertThat(project.sshOut("subject", "echo precious | sudo tee /srv/data/file >/dev/null && sync && cat /srv/data/file"))
                .isEqualTo("precious\n");
        assertConverged("disk full");
        faults.add("disk full during overlay and volume creation");
    }

    @Test
    @Order(2)
    void theUserManagerReexecutedUnderRunningVmsLosesNothing() {
        long subjectPid = project.unitStatus("subject").mainPid();
        systemd.reexecute();
        assertThat(project.unitStatus("subject").mainPid()).isEqualTo(subjectPid);
        var ps = project.cli("ps", "--format", "json");
        assertThat(ps.code()).as(ps.toString()).isZero();
        assertThat(ps.out()).contains("\"ready\"");
        assertConverged("user manager re-executed");
        var stop = project.cli("stop", "subject");
        assertThat(stop.code()).as("a VM started before the re-exec still stops: " + stop).isZero();
        Commands.awaitCondition("QEMU to exit", Duration.ofSeconds(30), Duration.ofMillis(200),
                () -> ProcessHandle.of(subjectPid).isEmpty());
        faults.add("systemd --user re-executed while VMs run");
    }

    /**
     * Two faults on one boot (CI time): the SSH port taken by another program while the VM was
     * stopped (the start moves to a free port), then QEMU killed mid-boot (the next up starts it
     * again, on the moved port).
     */
    @Test
    @Order(3)
    void aStolenSshPortMovesAndQemuKilledMidBootIsStartedAgainByTheNextUp() throws Exception {
        int leased = project.sshPort("subject");
        long pid;
        try (ServerSocket thief = new ServerSocket()) {
            thief.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), leased));
            var start = project.cli("up", "--no-wait", "subject");
            assertThat(start.code()).as(start.toString()).isZero();
            assertThat(start.all()).contains("SSH port " + leased + " was taken by another program; moved to");
            assertThat(project.sshPort("subject")).isNotEqualTo(leased);
            pid = project.unitStatus("subject").mainPid();
            assertThat(pid).isPositive();
            // mid-boot: the unit runs, the guest is not ready (nothing answers SSH this soon under TCG)
            Commands.run(List.of("kill", "-9", Long.toString(pid)), Duration.ofSeconds(10), null);
        }
        faults.add("SSH port taken between lease and start");
        Commands.awaitCondition("QEMU to be gone", Duration.ofSeconds(30), Duration.ofMillis(200),
                () -> ProcessHandle.of(pid).isEmpty());
        Commands.awaitCondition("the unit to stop", Duration.ofSeconds(30), Duration.ofMillis(200),
                () -> !project.unitStatus("subject").isActive());

        var up = project.cli("up", "subject");
        assertThat(up.code()).as(up.toString()).isZero();
        assertThat(project.unitStatus("subject").mainPid()).isNotEqualTo(pid);
        assertThat(project.sshPort("subject")).as("the moved lease is kept").isNotEqualTo(leased);
        assertThat(project.sshOut("subject", "cat /srv/data/file")).isEqualTo("precious\n");
        var port = project.cli("port", "subject", "22");
        assertThat(port.out()).as("port follows the new lease: " + port).contains(":" + project.sshPort("subject"));
        assertConverged("SSH port stolen, then QEMU killed mid-boot");
        faults.add("QEMU killed mid-boot");
    }

    @Test
    @Order(4)
    void eightCommandsAtOnceLeaveAValidProjectThatConverges() throws Exception {
        List<List<String>> storm = List.of(
                List.of("up", "--no-wait"), List.of("stop", "subject"), List.of("plan"), List.of("destroy", "subject"),
                List.of("up", "--no-wait", "subject"), List.of("ps"), List.of("plan", "--detailed-exitcode"),
                List.of("stop", "-t", "5", "subject"));
        Map<String, Integer> exits = new LinkedHashMap<>();
        Path volume = project.layout().volumeDisk("data");
        Object volumeIdentity = Files.readAttributes(volume, BasicFileAttributes.class).fileKey();
        for (int round = 1; round <= STORM_ROUNDS; round++) {
            List<Process> running = new ArrayList<>();
            List<Path> logs = new ArrayList<>();
            for (int i = 0; i < storm.size(); i++) {
                Path log = root.resolve("storm-" + round + "-" + i + ".log");
                logs.add(log);
                running.add(oneShot(storm.get(i), log));
            }
            for (int i = 0; i < running.size(); i++) {
                Process p = running.get(i);
                assertThat(p.waitFor(6, TimeUnit.MINUTES)).as("finished: " + storm.get(i)).isTrue();
                String out = Files.readString(logs.get(i));
                System.out.println("$ [" + round + "] qemu-compose " + String.join(" ", storm.get(i))
                        + " → " + p.exitValue() + "\n" + out);
                assertThat(out).as("no stack trace: " + storm.get(i)).doesNotContain("\tat io.qemucompose", "Exception in thread");
                exits.put(round + ":" + String.join(" ", storm.get(i)), p.exitValue());
            }
            // whatever the interleaving: state.json is valid and describes only the file's VMs
            assertThat(project.state().vms().keySet()).isSubsetOf("keep", "subject");
            assertThat(project.projectUnits()).extracting(UnitStatus::name)
                    .isSubsetOf("qemu-compose-faults-keep.service", "qemu-compose-faults-subject.service");
            assertThat(project.unitStatus("keep").mainPid()).as("keep is untouched").isEqualTo(keepPid);
        }
        System.out.println("storm exits: " + exits);
        // --no-wait: convergence is the point; a guest reading the volume after a boot is step 3's (and VolumesIT's)
        var up = project.cli("up", "--no-wait");
        assertThat(up.code()).as(up.toString()).isZero();
        assertThat(Files.readAttributes(volume, BasicFileAttributes.class).fileKey())
                .as("the named volume outlives destroy: the same file").isEqualTo(volumeIdentity);
        assertConverged("8 concurrent commands");
        faults.add("8 concurrent up/stop/plan/destroy/ps");
    }

    private void assertConverged(String after) {
        var plan = project.cli("plan", "--detailed-exitcode");
        assertThat(plan.code()).as(after + ": the next plan is empty: " + plan).isZero();
        assertThat(project.projectUnits()).extracting(UnitStatus::name)
                .containsExactlyInAnyOrder("qemu-compose-faults-keep.service", "qemu-compose-faults-subject.service");
        assertThat(project.unitStatus("keep").mainPid()).as(after + ": keep is untouched").isEqualTo(keepPid);
        assertThat(project.layout().instanceNames()).containsExactlyInAnyOrder("keep", "subject");
    }

    /** Temporary files of an interrupted creation (".creating"), which must never outlive the failure. */
    private List<Path> leftovers() {
        try (var files = Files.walk(project.layout().stateDir())) {
            return files.filter(f -> f.getFileName().toString().contains(".creating")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The product's one-shot main in its own JVM, as a user's shell would start it. */
    private Process oneShot(List<String> args, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> argv = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "io.qemucompose.cli.Main"));
        argv.addAll(args);
        var builder = new ProcessBuilder(argv).directory(project.dir().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(project.env());
        return Commands.startOwned(builder);
    }
}
