package io.qemucompose.it.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.systemd.Journald;
import io.qemucompose.spec.Names;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.testkit.CommandResult;
import io.qemucompose.testkit.Commands;
import io.qemucompose.testkit.PrivateSystemdUser;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's {@code journalctl --user -u qemu-compose-<project>-<vm> -f}, on a test world that has a
 * journald (the testkit's, in a private mount namespace): {@code up} of a compose file starts a real
 * VM unit whose guest is {@link EchoBootSector} (it prints a banner on the serial port and echoes what
 * it receives, a second under TCG), and the journal shows the console's lines as they come, and
 * QEMU's own message when the VM is stopped; {@code logs} still reads the same lines from the files.
 *
 * <p>The CLI runs as a user's shell would start it, in its own JVM, inside the world's namespace
 * (that is where it sees journald). The test world runs as root: journald keeps root's entries in the
 * system journal, and journalctl --user (systemd 252) opens only user-&lt;uid&gt; files, which root never
 * has, so the query is {@code journalctl --user-unit}, the same matches (_SYSTEMD_USER_UNIT and _UID)
 * over all files ({@link PrivateSystemdUser#journalctl}).
 */
class JournalIT {

    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @RegisterExtension
    static PrivateSystemdUser systemd = new PrivateSystemdUser().withJournal();

    @TempDir
    Path home;

    private final List<Process> followers = new ArrayList<>();
    private Path project;

    @AfterEach
    void tearDown() {
        followers.forEach(Process::destroy);
        if (project != null) {
            cli("destroy"); // units go with the manager anyway; this also ends the VM's port lease
        }
    }

    @Test
    void journalctlShowsTheSerialConsoleAsItComesAndQemusOutputOfAVmStartedByUp() throws Exception {
        long started = System.nanoTime();
        // a folder name that shell and systemd would both mangle if it reached them unquoted
        project = Files.createDirectories(home.resolve("it's ${HOME} $1 journal"));
        Path raw = EchoBootSector.write(home.resolve("boot.raw"));
        Commands.run(List.of("qemu-img", "convert", "-q", "-f", "raw", "-O", "qcow2", raw.toString(),
                project.resolve("boot.qcow2").toString())).orThrow();
        Files.writeString(project.resolve("qemu-compose.yaml"), """
                name: jrnl
                vms:
                  echo:
                    image: ./boot.qcow2
                    cpu: 1
                    memory: 128
                """);
        String unit = Names.unitName("jrnl", "echo") + ".service";
        ProjectLayout layout = new ProjectLayout(project);

        CommandResult up = cli("up", "--no-wait");
        assertThat(up.exitCode()).as(up.stdout() + up.stderr()).isZero();
        Path followed = home.resolve("journalctl-f.txt");
        followers.add(Commands.startOwned(new ProcessBuilder(systemd.journalctl(unit, "-f"))
                .redirectErrorStream(true).redirectOutput(followed.toFile())));

        awaitLine(followed, "echo[", EchoBootSector.BANNER.strip());
        String ping = "journal-ping-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        // connected until the echo is back: QEMU drops what the guest has not read yet when a client hangs up
        try (SocketChannel console = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            console.connect(UnixDomainSocketAddress.of(layout.consoleSocket("echo")));
            console.write(ByteBuffer.wrap((ping + "\r\n").getBytes(StandardCharsets.US_ASCII)));
            awaitLine(followed, "echo[", ping);
        }

        CommandResult stop = cli("stop", "--force");
        assertThat(stop.exitCode()).as(stop.stdout() + stop.stderr()).isZero();
        // QEMU's last words, written as it exits: sent before the unit was gone
        String journal = Commands.run(systemd.journalctl(unit)).orThrow().stdout();
        System.out.println("journalctl --user-unit " + unit + ":\n" + journal);
        assertThat(journal).containsPattern("qemu-system-x86_64\\[\\d+\\]: qemu-system-x86_64: terminating on signal 15")
                .containsPattern("echo\\[\\d+\\]: " + EchoBootSector.BANNER.strip())
                .containsPattern("echo\\[\\d+\\]: " + ping)
                .doesNotContain("blob data");
        awaitLine(followed, "qemu-system-x86_64[", "terminating on signal 15");
        // each line once: earlier runs' lines are not sent again, nothing is sent twice
        assertThat(journal.lines().filter(l -> l.endsWith(": " + ping))).hasSize(1);

        CommandResult logs = cli("logs");
        assertThat(logs.exitCode()).as(logs.stdout() + logs.stderr()).isZero();
        assertThat(logs.stdout()).contains("[qemu] qemu-system-x86_64: terminating on signal 15",
                EchoBootSector.BANNER.strip(), ping);

        CommandResult again = cliOutside("up", "--no-wait");
        assertThat(again.exitCode()).as(again.stdout() + again.stderr()).isZero();
        awaitLine(followed, "echo[", EchoBootSector.BANNER.strip(), 2);
        assertThat(Commands.run(systemd.journalctl(unit)).orThrow().stdout().lines().filter(l -> l.endsWith(": " + ping)))
                .as("the second boot sends only its own lines").hasSize(1);
        CommandResult doctor = cli("doctor");
        assertThat(doctor.stdout()).contains("journald (journalctl for VM output): VM units send QEMU's output and the"
                + " serial console to the journal: journalctl --user-unit qemu-compose-<project>-<vm> -f");
        System.out.printf("JournalIT: %.1f s%n", (System.nanoTime() - started) / 1e9);
        // the root user's view of the seed's command, for the record (see the class comment)
        System.out.println("journalctl --user -u as root: " + Commands.run(systemd.enter(List.of("journalctl",
                "--user", "-u", unit, "--no-pager"))));
    }

    /** The product's one-shot main in its own JVM, in the world's namespaces, as a user's shell runs it. */
    private CommandResult cli(String... args) {
        Map<String, String> env = environment();
        // inside the namespace the CLI sees journald itself: the default (auto), as on a user's host
        env.remove(Journald.ENV);
        return Commands.run(systemd.enter(oneShot(env, args), project), Duration.ofMinutes(3), project);
    }

    /**
     * The CLI outside the world's mount namespace, where no journald is visible, as the in-process CLI
     * of other tests runs: the testkit's environment says QEMU_COMPOSE_JOURNAL=on, and the unit looks
     * for journald itself.
     */
    private CommandResult cliOutside(String... args) {
        assertThat(environment()).containsEntry(Journald.ENV, "on");
        return Commands.run(oneShot(environment(), args), Duration.ofMinutes(3), project);
    }

    private static List<String> oneShot(Map<String, String> env, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        var command = new ArrayList<>(List.of("env", "-i"));
        env.forEach((k, v) -> command.add(k + "=" + v));
        command.addAll(List.of(java, "-cp", System.getProperty("java.class.path"), "io.qemucompose.cli.Main"));
        command.addAll(List.of(args));
        return command;
    }

    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(systemd.environment());
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", home.toString());
        env.put("QEMU_COMPOSE_USERNET_RESTRICT", "true");
        env.put("QEMU_COMPOSE_ACCEL", "tcg");
        env.put("XDG_DATA_HOME", home.resolve("data").toString());
        env.put("XDG_STATE_HOME", home.resolve("state").toString());
        return env;
    }

    private static void awaitLine(Path file, String identifier, String text) throws Exception {
        awaitLine(file, identifier, text, 1);
    }

    /** journalctl -f writes to a file: polled with a deadline, waking early when the follower dies. */
    private static void awaitLine(Path file, String identifier, String text, int times) throws Exception {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            String out = Files.exists(file) ? Files.readString(file) : "";
            if (out.lines().filter(l -> l.contains(identifier) && l.contains(text)).count() >= times) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("journalctl -f did not show '" + identifier + "…" + text + "' " + times
                        + "x within " + DEADLINE.toSeconds() + " s:\n" + out);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }
}
