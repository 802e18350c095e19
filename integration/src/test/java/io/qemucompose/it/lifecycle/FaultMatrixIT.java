package io.qemucompose.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.apply.KillPoints;
import io.qemucompose.driver.systemd.UnitStatus;
import io.qemucompose.state.ProjectState;
import io.qemucompose.testkit.PrivateSystemdUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fault matrix: {@code up} is stopped dead (as {@code kill -9} would: {@link KillPoints} halts
 * the JVM) before <em>each</em> action its plan holds, one point per run, and the next {@code up}
 * must converge: the plan says "No changes", one unit, one instance, the same SSH port, the named
 * volume the same file (never made twice), and the other VM of the project untouched (same QEMU
 * process throughout). Deterministic: each run asserts that its kill point was reached.
 */
class FaultMatrixIT {

    @RegisterExtension
    static PrivateSystemdUser systemd = new PrivateSystemdUser();

    @TempDir
    Path root;

    private ComposeProjectFixture project;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        started.forEach(Process::destroyForcibly);
        if (project != null) {
            project.destroyQuietly();
            project.cli("destroy", "-v");
        }
    }

    private void writeCompose() throws IOException {
        Files.writeString(project.dir().resolve("qemu-compose.yaml"), ComposeProjectFixture.keepAndSubject("32M", ComposeProjectFixture.blankImage(root)));
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void upKilledBeforeEveryActionConvergesOnTheNextRun() throws Exception {
        project = new ComposeProjectFixture(root, "faults", systemd);
        writeCompose();
        var keepUp = project.cli("up", "--no-wait", "keep");
        assertThat(keepUp.code()).as(keepUp.toString()).isZero();
        long keepPid = project.unitStatus("keep").mainPid();

        // every action of a fresh plan for the subject (a VM with a new volume), in plan order
        var planned = project.cli("plan", "--format", "json", "subject");
        JsonNode plan = JsonMapper.builder().build().readTree(planned.out());
        List<String> points = new ArrayList<>();
        for (JsonNode a : plan.get("actions")) {
            points.add("before:" + a.get("id").asString());
        }
        assertThat(points).as("the matrix covers every kind of step of a create").contains(
                "before:lease-port:vm.subject", "before:overlay:vm.subject", "before:seed:vm.subject",
                "before:ensure:volume.data", "before:start:vm.subject");

        Map<String, String> outcomes = new LinkedHashMap<>();
        for (String point : points) {
            Map<String, String> env = new java.util.HashMap<>(project.env());
            env.put(KillPoints.VARIABLE, point);
            Run killed = up(env);
            assertThat(killed.code()).as(point + ": " + killed).isEqualTo(137);
            assertThat(killed.out()).as("kill point reached").contains("KILL-POINT " + point);
            Path disk = project.layout().volumeDisk("data");
            Object volumeBefore = Files.exists(disk) ? Files.readAttributes(disk, BasicFileAttributes.class).fileKey() : null;
            Integer portBefore = project.state().vm("subject").map(ProjectState.VmRecord::sshPort).orElse(null);

            Run again = up(project.env());
            assertThat(again.code()).as(point + " then up: " + again).isZero();
            var after = project.cli("plan", "--detailed-exitcode", "subject");
            assertThat(after.code()).as(point + ": the next plan is empty: " + after).isZero();
            assertThat(project.projectUnits()).extracting(UnitStatus::name)
                    .containsExactlyInAnyOrder("qemu-compose-faults-keep.service", "qemu-compose-faults-subject.service");
            assertThat(project.unitStatus("keep").mainPid()).as("the other VM is untouched").isEqualTo(keepPid);
            assertThat(project.state().vms()).containsOnlyKeys("keep", "subject");
            assertThat(project.layout().instanceNames()).containsExactly("keep", "subject");
            if (volumeBefore != null) {
                assertThat(Files.readAttributes(disk, BasicFileAttributes.class).fileKey())
                        .as(point + ": the volume is never made twice").isEqualTo(volumeBefore);
            }
            if (portBefore != null) {
                assertThat(project.sshPort("subject")).as(point + ": the same SSH port").isEqualTo(portBefore);
            }
            outcomes.put(point, "killed, then converged");
            // back to a fresh subject for the next point: no instance, no volume, no project key
            var destroy = project.cli("destroy", "-v", "subject");
            assertThat(destroy.code()).as(destroy.toString()).isZero();
            Files.deleteIfExists(project.layout().sshPrivateKey());
            Files.deleteIfExists(project.layout().sshPublicKey());
        }
        System.out.println("fault matrix: " + outcomes);
    }

    record Run(int code, String out) {
        @Override
        public String toString() {
            return "exit " + code + "\n" + out;
        }
    }

    /** {@code up --no-wait subject} in its own JVM (the product's one-shot main), output captured. */
    private Run up(Map<String, String> env) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = root.resolve("up-" + started.size() + ".log");
        var builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "io.qemucompose.cli.Main", "up", "--no-wait", "subject")
                .directory(project.dir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Process p = builder.start();
        started.add(p);
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("up finished").isTrue();
        Run run = new Run(p.exitValue(), Files.readString(log));
        System.out.println("$ " + env.getOrDefault(KillPoints.VARIABLE, "") + " up --no-wait subject\n" + run);
        return run;
    }
}
