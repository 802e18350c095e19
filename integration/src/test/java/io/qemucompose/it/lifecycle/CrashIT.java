package io.qemucompose.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.systemd.SystemdUserManager;
import io.qemucompose.driver.systemd.UnitStatus;
import io.qemucompose.state.ProjectState;
import io.qemucompose.testkit.Commands;
import io.qemucompose.testkit.PrivateSystemdUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code up} killed with SIGKILL at several points of a real apply (a separate JVM running the
 * product's one-shot main), then run again: it must finish the job without creating anything twice —
 * one unit, the same overlay file, the same SSH port. And two {@code up} at once must not corrupt
 * the project.
 */
class CrashIT {

    @RegisterExtension
    static PrivateSystemdUser systemd = new PrivateSystemdUser();

    @TempDir
    Path root;

    private ComposeProjectFixture project;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        for (Process p : started) {
            p.destroyForcibly();
        }
        if (project != null) {
            project.destroyQuietly();
        }
    }

    @Test
    void upKilledAfterTheDiskExistsOrAfterTheUnitStartedConvergesOnTheNextUpWithoutDuplicates() throws Exception {
        project = new ComposeProjectFixture(root, "crash", systemd);
        project.writeCompose(Map.of("solo", 512));
        Path overlay = project.layout().overlayDisk("solo");

        // 1. killed as soon as the overlay disk exists (before the unit is started)
        Process first = upProcess();
        awaitOrFail("the overlay disk to appear", first, () -> Files.exists(overlay), Duration.ofSeconds(120));
        kill(first);
        boolean unitStartedBeforeKill = project.unitStatus("solo").loaded();
        System.out.println("crash 1: killed with the overlay present; unit already started: " + unitStartedBeforeKill);
        Object overlayIdentity = fileKey(overlay);

        // 2. the next up is killed once systemd runs the unit, long before the guest is ready
        Process second = upProcess();
        try (SystemdUserManager client = systemd.connect()) {
            awaitOrFail("the unit to be active", second,
                    () -> client.unit(project.unit("solo")).isActive(), Duration.ofSeconds(120));
        }
        kill(second);
        UnitStatus running = project.unitStatus("solo");
        assertThat(running.isActive()).as("the VM outlives the killed up").isTrue();
        int port = project.sshPort("solo");
        assertThat(fileKey(overlay)).as("the overlay was not created again").isEqualTo(overlayIdentity);

        // 3. the third up finishes: the running VM is kept, nothing is created again
        var up = project.cli("up");
        assertThat(up.code()).as(up.toString()).isZero();
        assertThat(project.unitStatus("solo").mainPid()).as("the VM was not restarted").isEqualTo(running.mainPid());
        assertThat(project.projectUnits()).hasSize(1);
        assertThat(fileKey(overlay)).isEqualTo(overlayIdentity);
        assertThat(project.sshPort("solo")).isEqualTo(port);
        assertThat(project.sshOut("solo", "hostname").strip()).isEqualTo("solo");
        assertThat(vmFolders()).containsExactly("solo");
        var plan = project.cli("plan", "--detailed-exitcode");
        assertThat(plan.code()).as(plan.toString()).isZero();
    }

    /**
     * Two {@code up --no-wait} at once: the lock is held only while one of them creates and starts, so
     * neither waits for the guest, and the test does not either (the boot is not what is tested here;
     * CrashIT's first scenario and LifecycleIT wait for ready). The VM is destroyed while it boots.
     */
    @Test
    void twoUpRunsAtOnceBothConvergeOnOneVmAndAValidState() throws Exception {
        project = new ComposeProjectFixture(root, "twice", systemd);
        project.writeCompose(Map.of("solo", 512));

        Process a = upProcess("--no-wait");
        Process b = upProcess("--no-wait");
        int codeA = awaitExit(a, Duration.ofMinutes(3));
        int codeB = awaitExit(b, Duration.ofMinutes(3));
        String outA = output(a);
        String outB = output(b);
        System.out.println("concurrent up A: exit " + codeA + "\n" + outA + "\nconcurrent up B: exit " + codeB + "\n" + outB);

        assertThat(codeA).as("first up").isZero();
        assertThat(codeB).as("second up").isZero();
        JsonMapper.builder().build().readTree(Files.readString(project.layout().stateFile()));
        ProjectState state = project.state();
        assertThat(state.vms()).containsOnlyKeys("solo");
        assertThat(project.projectUnits()).hasSize(1);
        UnitStatus running = project.unitStatus("solo");
        assertThat(running.isActive()).isTrue();
        assertThat(vmFolders()).containsExactly("solo");
        var again = project.cli("up", "--no-wait");
        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(project.unitStatus("solo").mainPid()).as("the VM was not restarted").isEqualTo(running.mainPid());
        var plan = project.cli("plan", "--detailed-exitcode");
        assertThat(plan.code()).as(plan.toString()).isZero();
    }

    /** The product's one-shot main in its own JVM, as ./qemu-compose runs it, in the project folder. */
    private Process upProcess(String... options) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> argv = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "io.qemucompose.cli.Main", "up"));
        argv.addAll(List.of(options));
        var builder = new ProcessBuilder(argv)
                .directory(project.dir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(root.resolve("up-" + started.size() + ".log").toFile());
        builder.environment().clear();
        builder.environment().putAll(project.env());
        Process p = builder.start();
        started.add(p);
        return p;
    }

    private String output(Process p) throws IOException {
        return Files.readString(root.resolve("up-" + started.indexOf(p) + ".log"));
    }

    private static void kill(Process p) throws InterruptedException {
        Commands.run(List.of("kill", "-9", Long.toString(p.pid()))).orThrow();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private static int awaitExit(Process p, Duration deadline) throws InterruptedException {
        assertThat(p.waitFor(deadline.toNanos(), TimeUnit.NANOSECONDS)).as("up finished").isTrue();
        return p.exitValue();
    }

    /** Polls quickly: the points we kill at last only a fraction of a second. */
    private void awaitOrFail(String what, Process p, BooleanSupplier condition, Duration deadline) throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (!p.isAlive()) {
                throw new AssertionError("up exited " + p.exitValue() + " before " + what + ":\n" + output(p));
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what + ":\n" + output(p));
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
        }
    }

    private static Object fileKey(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return a.fileKey() + "@" + a.creationTime();
    }

    private List<String> vmFolders() throws IOException {
        try (var entries = Files.list(project.layout().stateDir())) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("ssh") && !n.startsWith(".")).sorted().toList();
        }
    }
}
