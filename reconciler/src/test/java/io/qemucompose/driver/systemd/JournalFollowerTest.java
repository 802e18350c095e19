package io.qemucompose.driver.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follower's two shell scripts, run by the real /bin/sh, tail and sed as systemd would run them
 * (argv as the unit gets it, after systemd's own {@code $$} handling), with a {@code systemd-cat}
 * stand-in on PATH that writes "identifier: line" to a file: what is sent, from where, and that a stop
 * waits for the last line. Journald's side is the integration test's (JournalIT).
 */
class JournalFollowerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private final List<Long> followers = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        followers.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void sendsOnlyNewLinesCleanedOfControlCharactersAndTheLastLineBeforeTheStopEnds() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("my project's $HOME dir"));
        Path unitLog = dir.resolve("unit.log");
        Path consoleLog = dir.resolve("console.log");
        Files.writeString(unitLog, "a line of an earlier run\n");
        Path journal = tmp.resolve("journal.txt");
        var follower = new JournalFollower(tmp.resolve("stdout"), dir.resolve("journal-follower.pid"), List.of(
                new JournalFollower.Log(unitLog, "qemu-system-x86_64"), new JournalFollower.Log(consoleLog, "web")));

        try (var socket = listen(follower.journalSocket())) {
            assertThat(run(follower.start(), journal)).isZero();
            followers.addAll(pids(follower.pidFile()));
            assertThat(followers).hasSize(3);

            append(unitLog, "qemu-system-x86_64: warning: a QEMU message\n");
            append(consoleLog, "\u001b[0;32m  OK  \u001b[0m Started Journal Service.\r\n");
            await(journal, "web:   OK   Started Journal Service.");

            append(unitLog, "qemu-system-x86_64: terminating on signal 15\n");
            long stop = System.nanoTime();
            assertThat(run(follower.finish(), journal)).isZero();
            System.out.printf("finish took %d ms%n", (System.nanoTime() - stop) / 1_000_000);
        }

        assertThat(Files.readAllLines(journal)).containsExactlyInAnyOrder(
                "qemu-system-x86_64: qemu-system-x86_64: warning: a QEMU message",
                "web:   OK   Started Journal Service.",
                "qemu-system-x86_64: qemu-system-x86_64: terminating on signal 15");
        assertThat(followers).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(
                java.util.Optional.of(true)));
        assertThat(follower.pidFile()).doesNotExist();
        assertThat(Files.readString(unitLog)).doesNotContain("tail", "sed", "systemd-cat");
    }

    @Test
    void withoutJournaldNothingIsStartedAndTheStopIsANoOp() throws Exception {
        var follower = new JournalFollower(tmp.resolve("no-socket"), tmp.resolve("journal-follower.pid"),
                List.of(new JournalFollower.Log(tmp.resolve("unit.log"), "qemu")));
        Files.writeString(follower.pidFile(), "1 2 3\n"); // left by a run that was killed: never acted on

        assertThat(run(follower.start(), tmp.resolve("journal.txt"))).isZero();
        assertThat(follower.pidFile()).doesNotExist();
        assertThat(run(follower.finish(), tmp.resolve("journal.txt"))).isZero();
        assertThat(tmp.resolve("journal.txt")).doesNotExist();
    }

    @Test
    void aStaleFollowerFileIsNeverActedOn() throws Exception {
        // the run that wrote the file was killed and its sleep is gone: finish() signals nothing and
        // waits for nothing, whatever else the file names (in a unit, a PID of another cgroup is refused too)
        Process stranger = new ProcessBuilder("sleep", "30").start();
        try {
            Path pidFile = tmp.resolve("journal-follower.pid");
            Files.writeString(pidFile, "999999999 " + stranger.pid() + "\n");
            var follower = new JournalFollower(tmp.resolve("s"), pidFile, List.of(new JournalFollower.Log(tmp.resolve("u"), "q")));
            assertThat(run(follower.finish(), tmp.resolve("journal.txt"))).isZero();
            assertThat(stranger.isAlive()).isTrue();
            assertThat(pidFile).doesNotExist();
        } finally {
            stranger.destroyForcibly();
        }
    }

    @Test
    void everyUserStringIsAnArgumentNeverScriptText() {
        var follower = new JournalFollower(Path.of("/run/systemd/journal/stdout"), Path.of("/p/$(reboot)/f.pid"),
                List.of(new JournalFollower.Log(Path.of("/p/'x'/unit.log"), "web")));
        List<String> argv = follower.start().argv();
        assertThat(argv.subList(0, 2)).containsExactly("/bin/sh", "-c");
        assertThat(argv.get(2)).doesNotContain("/p/", "web", "reboot");
        assertThat(argv.subList(3, argv.size())).containsExactly("journal-follower", "/run/systemd/journal/stdout",
                "/p/$(reboot)/f.pid", "/p/'x'/unit.log", "web");
        assertThat(follower.start().ignoreFailure()).isTrue();
        assertThat(follower.finish().ignoreFailure()).isTrue();
    }

    /** Runs a unit command as systemd does after its $$ handling: the argv as the record holds it. */
    private int run(ControlCommand command, Path journal) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path cat = bin.resolve("systemd-cat");
        if (!Files.exists(cat)) {
            // as systemd-cat: the command's output is the stream, each line filed under the identifier
            Files.writeString(cat, "#!/bin/sh\nid=${1#--identifier=}; shift\n"
                    + "\"$@\" | sed -u \"s|^|$id: |\" >> \"$JOURNAL\"\n");
            Files.setPosixFilePermissions(cat, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        var builder = new ProcessBuilder(command.argv()).redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":/usr/bin:/bin");
        builder.environment().put("JOURNAL", journal.toString());
        Process p = builder.start();
        assertThat(p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("the command ends").isTrue();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
        return p.exitValue();
    }

    private static ServerSocketChannel listen(Path socket) throws IOException {
        var channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        channel.bind(UnixDomainSocketAddress.of(socket));
        return channel;
    }

    private static List<Long> pids(Path pidFile) throws IOException {
        return Arrays.stream(Files.readString(pidFile).strip().split(" +")).map(Long::parseLong).toList();
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Polled with a deadline: the stand-in writes a plain file, there is nothing to wait on. */
    private static void await(Path file, String line) throws Exception {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!(Files.exists(file) && Files.readAllLines(file).contains(line))) {
            if (System.nanoTime() > end) {
                throw new AssertionError("no '" + line + "' in " + (Files.exists(file) ? Files.readString(file) : "(none)"));
            }
            Thread.sleep(20);
        }
    }
}
