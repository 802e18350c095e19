package io.qemucompose.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.systemd.SystemdUserManager;
import io.qemucompose.it.qemu.EchoBootSector;
import io.qemucompose.testkit.Commands;
import io.qemucompose.testkit.PrivateSystemdUser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code run OS VERSION} for real, end to end, offline: a local server answers the releases API
 * (as GitHub would) with a {@code freebsd-14.1-x86-64.qcow2} that is a tiny boot disk
 * ({@link EchoBootSector#writePowerButtonAware}: prints a banner, echoes what it gets, powers off on
 * the ACPI button or the key {@code q}). The CLI runs as its own process with its stdin and stdout
 * piped, as a user's terminal would be; the test reads the guest's serial output from {@code run}'s
 * stdout and types into it. With {@code --rm}, whether the user leaves with Ctrl+] or the guest
 * ends, the unit and the one-off project folder are gone; without it, {@code ps} and
 * {@code destroy} find the VM by its name from any folder. Seconds per VM: no OS boots.
 */
class RunCommandIT {

    private static final String LATEST = "repos/cross-platform-actions/freebsd-builder/releases/latest";
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static PrivateSystemdUser systemd = new PrivateSystemdUser();

    @TempDir
    Path home;

    private ImageServer server;
    private Map<String, String> env;
    /** A folder without a compose file: where the user runs {@code run}, {@code ps}, {@code destroy}. */
    private Path anywhere;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void serveTheReleaseAndItsTinyBootDisk() throws Exception {
        Path raw = EchoBootSector.writePowerButtonAware(home.resolve("boot.raw"));
        Path qcow2 = home.resolve("freebsd-14.1-x86-64.qcow2");
        assertThat(Commands.run(List.of("qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw.toString(),
                qcow2.toString())).exitCode()).isZero();
        server = new ImageServer();
        var asset = server.put("download/v0.13.1/freebsd-14.1-x86-64.qcow2", Files.readAllBytes(qcow2));
        server.put(LATEST, ("{\"tag_name\": \"v0.13.1\", \"assets\": [{\"name\": \"freebsd-14.1-x86-64.qcow2\", "
                + "\"browser_download_url\": \"" + asset + "\"}]}").getBytes(StandardCharsets.UTF_8));
        env = new HashMap<>(Cli.environment(systemd.environment(), home));
        env.put("QEMU_COMPOSE_GITHUB_API", "http://127.0.0.1:" + asset.getPort());
        env.put("HOME", home.toString());
        anywhere = Files.createDirectories(home.resolve("anywhere"));
    }

    @AfterEach
    void stopWhatIsLeft() throws Exception {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        // a VM a failed test left behind: its run project knows how to remove it
        try (var dirs = Files.list(runDir()).filter(Files::isDirectory)) {
            for (Path dir : dirs.toList()) {
                new Cli(dir, env).run("destroy");
            }
        } catch (java.nio.file.NoSuchFileException nothingLeft) {
            // no VM was started
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void runRmShowsTheGuestsSerialOutputAndLeavingWithCtrlBracketRemovesEverything() throws Exception {
        try (RunSession run = RunSession.start(this, "run", "--rm", "--name", "rm1", "freebsd", "14.1")) {
            run.awaitOutput(EchoBootSector.BANNER.strip());
            run.type("hello console");
            run.awaitOutput("hello console");
            run.type("\u001d"); // Ctrl+], the detach key
            assertThat(run.awaitExit()).as(run.output()).isZero();
            System.out.println("run --rm, left with Ctrl+]:\n" + run.output());
            // leaving the console of a --rm VM stops it: the ACPI power button, which this guest honours
            assertThat(run.output()).contains("rm1: stopped (acpi)", "Removed rm1.").doesNotContain("rm1 stopped");
        }
        assertGone("rm1");
    }

    @Test
    void runRmEndsWhenTheGuestPowersOffAndRemovesEverything() throws Exception {
        try (RunSession run = RunSession.start(this, "run", "--rm", "--name", "end1", "freebsd", "14.1")) {
            run.awaitOutput(EchoBootSector.BANNER.strip());
            run.type(String.valueOf(EchoBootSector.POWER_OFF_KEY)); // the guest ends by itself
            assertThat(run.awaitExit()).as(run.output()).isZero();
            assertThat(run.output()).contains(EchoBootSector.POWER_OFF.strip(), "end1 stopped (its console closed)", "Removed end1.");
        }
        assertGone("end1");
    }

    @Test
    void withoutRmTheVmKeepsRunningAndPsAndDestroyFindItByName() throws Exception {
        try (RunSession run = RunSession.start(this, "run", "--name", "keep1", "freebsd", "14.1")) {
            run.awaitOutput(EchoBootSector.BANNER.strip());
            run.type("\u001d");
            assertThat(run.awaitExit()).as(run.output()).isZero();
            assertThat(run.output()).contains("keep1 keeps running");
        }
        Path project = runDir().resolve("keep1");
        assertThat(project.resolve("qemu-compose.yaml")).isRegularFile();
        try (SystemdUserManager manager = systemd.connect()) {
            assertThat(manager.unit("qemu-compose-run-keep1-keep1.service").isActive()).isTrue();
        }

        Cli cli = new Cli(anywhere, env);
        Cli.Run ps = cli.run("ps", "--format", "json", "keep1");
        assertThat(ps.exitCode()).as(ps.toString()).isZero();
        var row = JSON.readTree(ps.out()).get(0);
        // the image has no cloud-init and this guest no sshd: ps cannot log in, and says why
        assertThat(row.path("name").asString()).isEqualTo("keep1");
        assertThat(row.path("status").asString()).as(ps.out()).isEqualTo("active");
        assertThat(row.path("detail").asString()).contains("no SSH login as runner with the project key",
                "freebsd image without cloud-init");
        Cli.Run table = cli.run("ps", "keep1");
        System.out.println("ps keep1: " + table.out());
        assertThat(table.out()).contains("keep1 is active: no SSH login as runner with the project key");

        Cli.Run destroy = cli.run("destroy", "keep1");
        assertThat(destroy.exitCode()).as(destroy.toString()).isZero();
        assertGone("keep1");
        assertThat(cli.run("ps", "keep1").exitCode()).isNotZero();
    }

    private void assertGone(String vm) {
        try (SystemdUserManager manager = systemd.connect()) {
            assertThat(manager.unit("qemu-compose-run-" + vm + "-" + vm + ".service").loaded()).isFalse();
        }
        assertThat(runDir().resolve(vm)).as("the one-off project folder").doesNotExist();
    }

    private Path runDir() {
        return home.resolve("data/qemu-compose/run");
    }

    /** The CLI as its own process, its stdin and stdout pipes; stdout and stderr are read into one buffer. */
    private static final class RunSession implements AutoCloseable {

        private final Process process;
        private final OutputStream stdin;
        private final ByteArrayOutputStream output = new ByteArrayOutputStream();

        private RunSession(Process process) {
            this.process = process;
            this.stdin = process.getOutputStream();
            // a platform thread: in a test JVM that has run many classes, virtual threads can find every
            // carrier pinned by blocking native reads (D-Bus connections); the output was then never read
            // (CI: two sessions saw no byte in 2 min, green when the class ran alone)
            Thread.ofPlatform().daemon().start(() -> copy(process.getInputStream()));
        }

        static RunSession start(RunCommandIT test, String... args) {
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> argv = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                    "io.qemucompose.cli.Main"));
            argv.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(argv).directory(test.anywhere.toFile()).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(test.env);
            Process p = Commands.startOwned(builder);
            test.started.add(p);
            return new RunSession(p);
        }

        private void copy(InputStream in) {
            byte[] buffer = new byte[4096];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (output) {
                        output.write(buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }

        String output() {
            synchronized (output) {
                return output.toString(StandardCharsets.ISO_8859_1);
            }
        }

        void awaitOutput(String fragment) {
            Commands.awaitCondition("'" + fragment + "' on run's stdout", DEADLINE, Duration.ofMillis(100), () -> {
                if (!process.isAlive() && !output().contains(fragment)) {
                    throw new AssertionError("run exited " + process.exitValue() + " before '" + fragment + "':\n"
                            + output());
                }
                return output().contains(fragment);
            });
        }

        void type(String text) throws IOException {
            stdin.write(text.getBytes(StandardCharsets.ISO_8859_1));
            stdin.flush();
        }

        int awaitExit() throws InterruptedException {
            if (!process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("run still running after " + DEADLINE + ":\n" + output());
            }
            return process.exitValue();
        }

        @Override
        public void close() throws IOException {
            stdin.close();
        }
    }
}
