package io.qemucompose.it.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.QemuComposeCli;
import io.qemucompose.driver.systemd.SystemdUserManager;
import io.qemucompose.driver.systemd.UnitStatus;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.StateStore;
import io.qemucompose.testkit.Commands;
import io.qemucompose.testkit.GuestImage;
import io.qemucompose.testkit.PrivateSystemdUser;
import io.qemucompose.watch.WatchStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The background reconciler against the real world: a private systemd user manager, QEMU under
 * TCG and the Debian guest image. One project, one reconciler unit and its VMs shared by the
 * steps in order (boots are slow); each step edits the file or the world and waits for the
 * reconciler to react. VM units being active is what is checked (QEMU runs with the spec's
 * settings); guest readiness belongs to up's tests.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WatchDetachedIT {

    private static final Duration DEADLINE = Duration.ofSeconds(600);
    private static final Duration POLL = Duration.ofMillis(200);

    @RegisterExtension
    static PrivateSystemdUser systemd = new PrivateSystemdUser();

    @TempDir
    static Path tmp;

    private static Path project;
    private static Path composeFile;
    private static Map<String, String> env;
    private static SystemdUserManager manager;

    @BeforeAll
    static void startReconciler() throws IOException {
        project = Files.createDirectories(tmp.resolve("wp"));
        composeFile = project.resolve("qemu-compose.yaml");
        env = new HashMap<>(systemd.environment());
        env.put("QEMU_COMPOSE_USERNET_RESTRICT", "true");
        env.put("QEMU_COMPOSE_ACCEL", "tcg");
        env.put("XDG_DATA_HOME", tmp.resolve("data").toString());
        env.put("XDG_STATE_HOME", tmp.resolve("state").toString());
        env.put("HOME", System.getProperty("user.home"));
        env.put("PATH", System.getenv("PATH"));
        // the daemon runs from this build's classpath (the launcher's, in real use)
        env.put("QEMU_COMPOSE_DAEMON_CLASSPATH", System.getProperty("java.class.path"));
        manager = systemd.connect();
        write(vm("a", 512));
        Run start = cli("watch", "--detach", "--remove-orphans", "--resync", "5");
        assertThat(start.code).as(() -> start.output + log()).isZero();
        assertThat(start.output).contains("Background reconciler started");
    }

    @AfterAll
    static void stopEverything() {
        if (manager != null) {
            cli("watch", "--stop");
            cli("destroy");
            manager.close();
        }
    }

    @Test
    @Order(1)
    void theReconcilerUnitRunsOnItsOwnUnderTheUserManagerAndBringsTheFileUp() throws IOException {
        UnitStatus reconciler = manager.unit("qemu-compose-wp-reconciler.service");
        assertThat(reconciler.isActive()).isTrue();
        // its JVM is a child of the user manager, not of the CLI that asked for it: it survives the CLI
        assertThat(parentOf(reconciler.mainPid())).isEqualTo(systemd.managerPid());
        try {
            awaitActive("a");
        } catch (RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\n" + log(), e);
        }
    }

    @Test
    @Order(2)
    void addingAVmToTheFileBringsItUp() throws IOException {
        long a = awaitActive("a");
        write(vm("a", 512) + vm("b", 512).replace("vms:\n", ""));
        awaitActive("b");
        assertThat(pid("a")).as("a untouched").isEqualTo(a);
    }

    @Test
    @Order(3)
    void changingMemoryRestartsThatVmOnly() throws IOException {
        long a = awaitActive("a");
        long b = awaitActive("b");
        write(vm("a", 640) + vm("b", 512).replace("vms:\n", ""));
        Commands.awaitCondition("a restarted with 640M", DEADLINE, POLL, () -> {
            long p = pid("a");
            return p != 0 && p != a && cmdline(p).contains("640M");
        });
        assertThat(pid("b")).as("b untouched").isEqualTo(b);
    }

    @Test
    @Order(4)
    void aKilledVmWithRestartAlwaysComesBack() {
        long b = awaitActive("b");
        ProcessHandle.of(b).orElseThrow().destroyForcibly(); // SIGKILL, as kill -9
        Commands.awaitCondition("b restarted after kill -9", DEADLINE, POLL, () -> {
            long p = pid("b");
            return p != 0 && p != b;
        });
    }

    @Test
    @Order(5)
    void aTypoIsReportedAndNothingIsStopped() throws IOException {
        long a = awaitActive("a");
        long b = awaitActive("b");
        String good = Files.readString(composeFile);
        write(good.replace("memory: 512", "memroy: 512"));
        ProjectLayout layout = new ProjectLayout(project);
        Commands.awaitCondition("status reports the invalid file", DEADLINE, POLL, () -> WatchStatus.read(layout)
                .map(s -> s.config() != null && !s.config().isTrue()).orElse(false));
        int pass = WatchStatus.read(layout).orElseThrow().lastPass().number();
        // two more passes (resync every 5 s) and still nothing was stopped
        Commands.awaitCondition("two more passes", DEADLINE, POLL, () -> WatchStatus.read(layout)
                .map(s -> s.lastPass().number() >= pass + 2).orElse(false));
        assertThat(pid("a")).isEqualTo(a);
        assertThat(pid("b")).isEqualTo(b);
        Run status = cli("status");
        assertThat(status.output).contains("Reconciler: running").contains("INVALID").contains("memroy");
        assertThat(Files.readString(layout.reconcilerLog())).contains("the compose file is invalid").contains("memroy");
        write(good);
        Commands.awaitCondition("status reports the file valid again", DEADLINE, POLL, () -> WatchStatus.read(layout)
                .map(s -> s.config().isTrue()).orElse(false));
    }

    @Test
    @Order(6)
    void aUserStopIsRespectedByTheReconciler() {
        awaitActive("a");
        Run stop = cli("stop", "--force", "a");
        assertThat(stop.code).as(stop.output).isZero();
        assertThat(new StateStore(new ProjectLayout(project)).read().vm("a").orElseThrow().stoppedByUser()).isTrue();
        ProjectLayout layout = new ProjectLayout(project);
        int pass = WatchStatus.read(layout).orElseThrow().lastPass().number();
        Commands.awaitCondition("two more passes", DEADLINE, POLL, () -> WatchStatus.read(layout)
                .map(s -> s.lastPass().number() >= pass + 2).orElse(false));
        assertThat(pid("a")).as("a stays stopped (restart: always, but stopped by the user)").isZero();
        Run status = cli("status");
        assertThat(status.output).contains("StoppedByUser");
        Run up = cli("up", "--no-wait", "a");
        assertThat(up.code).as(up.output).isZero();
        awaitActive("a");
    }

    @Test
    @Order(7)
    void removingAVmDestroysItWithRemoveOrphans() throws IOException {
        awaitActive("b");
        write(vm("a", 640));
        Commands.awaitCondition("b destroyed", DEADLINE, POLL,
                () -> pid("b") == 0 && !Files.exists(new ProjectLayout(project).vmDir("b")));
        assertThat(pid("a")).isNotZero();
    }

    @Test
    @Order(8)
    void watchStopLeavesNoUnitBehind() {
        Run stop = cli("watch", "--stop");
        assertThat(stop.code).as(stop.output).isZero();
        assertThat(manager.unit("qemu-compose-wp-reconciler.service").loaded()).isFalse();
        assertThat(manager.listUnits("qemu-compose-wp-reconciler")).isEmpty();
        assertThat(cli("status").output).contains("Reconciler: not running");
    }

    private static String log() {
        try {
            return Files.readString(new ProjectLayout(project).reconcilerLog());
        } catch (IOException e) {
            return "(no reconciler log)";
        }
    }

    private static String vm(String name, int memory) {
        return """
                vms:
                  %s:
                    image: %s
                    memory: %d
                    cpu: 1
                    restart: always
                """.formatted(name, GuestImage.path(), memory);
    }

    /** As an editor saves: a temporary file renamed over the original. */
    private static void write(String yaml) throws IOException {
        Path temp = project.resolve(".qemu-compose.yaml.swp");
        Files.writeString(temp, yaml);
        Files.move(temp, composeFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static long pid(String vm) {
        UnitStatus s = manager.unit("qemu-compose-wp-" + vm + ".service");
        return s.isActive() ? s.mainPid() : 0;
    }

    private static long awaitActive(String vm) {
        Commands.awaitCondition(vm + " active", DEADLINE, POLL, () -> pid(vm) != 0);
        return pid(vm);
    }

    private static String cmdline(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private static long parentOf(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
    }

    private record Run(int code, String output) {}

    private static Run cli(String... args) {
        StringWriter text = new StringWriter();
        PrintWriter w = new PrintWriter(text, true);
        int code = QemuComposeCli.run(new CommandEnvironment(w, w, env, project, false), args);
        return new Run(code, text.toString());
    }
}
