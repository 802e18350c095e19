package io.qemucompose.it.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.testkit.Commands;
import io.qemucompose.testkit.GuestImage;
import io.qemucompose.testkit.NetNs;
import io.qemucompose.testkit.PrivateSystemdUser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/demo} end to end, as a new user runs it, inside a network namespace this test
 * creates (so the demo's bridge exists only there) with the private systemd user manager, user-mode
 * networks restricted, TCG, and XDG folders in a temp folder. The demo's two booted VMs are then
 * shared by the checks of issue 17: healthchecks (healthy, then unhealthy once the tested file is
 * gone), {@code service_healthy} ordering, a read-only single-file bind mount, and {@code provision}
 * re-runs with their output and exit code. {@code scripts/demo --down} tears it down.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoIT {

    static final NetNs ns = NetNs.create();

    @org.junit.jupiter.api.extension.RegisterExtension
    static PrivateSystemdUser systemd = new PrivateSystemdUser().inNetworkNamespace(ns.name());

    @TempDir
    static Path root;

    private Path demoDir;
    private Map<String, String> env;

    record Run(int code, String out) {
        @Override
        public String toString() {
            return "exit " + code + "\n" + out;
        }
    }

    @BeforeAll
    void environment() throws IOException {
        GuestImage.path(); // built (or found) before the demo's own call, outside its timing
        demoDir = root.resolve("demo");
        Path cli = root.resolve("qemu-compose");
        // the demo runs the CLI from the test's classpath, not ./qemu-compose's own build in shell/target
        Files.writeString(cli, "#!/bin/sh\nexec '" + ProcessHandle.current().info().command().orElse("java")
                + "' -cp '" + System.getProperty("java.class.path") + "' io.qemucompose.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> e = new HashMap<>(System.getenv());
        e.putAll(systemd.environment());
        e.put("QEMU_COMPOSE_USERNET_RESTRICT", "true");
        e.put("QEMU_COMPOSE_ACCEL", "tcg");
        e.put("QEMU_COMPOSE_DEMO_DIR", demoDir.toString());
        e.put("QEMU_COMPOSE_CLI", cli.toString());
        e.put("XDG_DATA_HOME", root.resolve("xdg-data").toString());
        e.put("XDG_STATE_HOME", root.resolve("xdg-state").toString());
        e.put("XDG_CONFIG_HOME", root.resolve("xdg-config").toString());
        env = Map.copyOf(e);
    }

    @AfterAll
    void tearDown() {
        try {
            Run down = inNs(List.of(GuestImage.repoRoot().resolve("scripts/demo").toString(), "--down"));
            assertThat(down.code()).as(down.toString()).isZero();
        } finally {
            ns.close();
        }
    }

    @Test
    @Order(1)
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void demoBringsUpTwoHealthyVmsAndShowsThem() {
        Run demo = inNs(List.of(GuestImage.repoRoot().resolve("scripts/demo").toString()));
        assertThat(demo.code()).as(demo.toString()).isZero();
        assertThat(demo.out()).contains("network back: bridge", "VM: db", "OK Started (unit: qemu-compose-qcdemo-web)",
                "OK All VMs started successfully", "hello from the host", "web provisioned", "destroy -v");
        assertThat(demo.out()).containsPattern("db +ready \\(healthy\\)").containsPattern("web +ready \\(healthy\\)");
        // service_healthy: web's unit starts only once db's healthcheck passed
        assertThat(demo.out().indexOf("db: healthy in")).isPositive()
                .isLessThan(demo.out().indexOf("web: started (unit:"));
        Matcher ready = Pattern.compile("from command to ready: (\\d+) s").matcher(demo.out());
        assertThat(ready.find()).as(demo.out()).isTrue();
        System.out.println("figures: demo command to ready " + ready.group(1) + " s");
    }

    @Test
    @Order(2)
    void theSingleFileBindMountIsReadOnlyInTheGuest() {
        Run write = cli("ssh", "-n", "web", "--", "sh", "-c", "echo more >> /srv/www/index.html");
        assertThat(write.code()).as(write.toString()).isNotZero();
        assertThat(write.out()).contains("Read-only file system");
        Run read = cli("ssh", "-n", "web", "--", "cat", "/srv/www/index.html");
        assertThat(read.out()).contains("hello from the host");
    }

    @Test
    @Order(3)
    void provisionRerunsTheStepsWithPrefixedOutputAndPassesTheExitCodeThrough() throws IOException {
        Run ok = cli("provision", "web");
        assertThat(ok.code()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("web | web provisioned");

        Path failing = demoDir.resolve("failing-step.yaml");
        Files.writeString(failing, """
                vms:
                  web:
                    provision:
                      - echo "about to fail"; exit 3
                """);
        Run failed = run(List.of("-f", demoDir.resolve("qemu-compose.yaml").toString(), "-f", failing.toString(),
                "provision", "web"));
        assertThat(failed.code()).as(failed.toString()).isEqualTo(3);
        assertThat(failed.out()).contains("web | web provisioned", "web | about to fail", "web | step 2 failed (exit 3)");
    }

    @Test
    @Order(4)
    void psShowsUnhealthyOnceTheTestedFileIsGone() {
        Run rm = cli("ssh", "-n", "db", "--", "sudo", "rm", "/srv/data/greeting");
        assertThat(rm.code()).as(rm.toString()).isZero();
        Run ps = cli("ps");
        assertThat(ps.out()).containsPattern("db +ready \\(unhealthy\\)").containsPattern("web +ready \\(healthy\\)");
        Run json = cli("ps", "--format", "json");
        assertThat(json.out()).containsPattern("\"health\" ?: ?\"unhealthy\"");
    }

    private Run cli(String... args) {
        List<String> argv = new ArrayList<>(List.of("-f", demoDir.resolve("qemu-compose.yaml").toString()));
        argv.addAll(List.of(args));
        return run(argv);
    }

    private Run run(List<String> args) {
        List<String> command = new ArrayList<>(List.of(root.resolve("qemu-compose").toString()));
        command.addAll(args);
        return inNs(command);
    }

    /** {@code command} inside the namespace with the test's environment, output echoed as it comes. */
    private Run inNs(List<String> command) {
        List<String> full = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + ns.name(), "--"));
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).directory(root.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        StringBuilder out = new StringBuilder();
        long t0 = System.nanoTime();
        try {
            Process p = Commands.startOwned(builder);
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    out.append(line).append('\n');
                    System.out.printf("%.1fs %s%n", (System.nanoTime() - t0) / 1e9, line);
                }
            }
            return new Run(p.waitFor(), out.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
