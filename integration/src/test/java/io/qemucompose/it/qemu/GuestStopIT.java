package io.qemucompose.it.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.kvm.Accelerator;
import io.qemucompose.driver.net.PortLeases;
import io.qemucompose.driver.qemu.GuestAgentClient;
import io.qemucompose.driver.qemu.GuestAgentShutdown;
import io.qemucompose.driver.qemu.MachineType;
import io.qemucompose.driver.qemu.QemuRuntimeFiles;
import io.qemucompose.driver.qemu.QmpClient;
import io.qemucompose.driver.qemu.QmpEvent;
import io.qemucompose.driver.qemu.SigtermStop;
import io.qemucompose.driver.qemu.StopChain;
import io.qemucompose.driver.qemu.UserNetwork;
import io.qemucompose.driver.qemu.VmExitWatch;
import io.qemucompose.driver.qemu.VmRuntimeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The guest-agent stop step against the real Debian guest (with qemu-guest-agent) that
 * scripts/build-guest-image caches: the agent answers, runs a command, and its guest-shutdown ends in a
 * guest-initiated SHUTDOWN. The ACPI power button is proven on real guests through the product, not
 * with a second boot here (CI time): OpsIT's {@code stop} falls back past it, ApiIT's powerdown waits
 * for the guest to stop, and StopChainIT orders the steps.
 */
class GuestStopIT {

    private static final Duration BOOT = Duration.ofSeconds(240);

    @TempDir
    Path dir;

    @Test
    void guestAgentAnswersRunsACommandAndShutsTheGuestDown() throws Exception {
        Path image = cachedGuestImage();
        Path overlay = dir.resolve("disk.qcow2");
        TestVm.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", image.toString(), overlay.toString()));
        Files.writeString(dir.resolve("meta-data"), "instance-id: guest-stop-it\nlocal-hostname: stopper\n");
        Files.writeString(dir.resolve("user-data"), "#cloud-config\n{}\n");
        Path seed = dir.resolve("cloud-init.iso");
        TestVm.run(List.of("genisoimage", "-quiet", "-o", seed.toString(), "-volid", "cidata", "-joliet", "-rock",
                dir.resolve("user-data").toString(), dir.resolve("meta-data").toString()));
        int sshPort = new PortLeases(dir.resolve("state"), 42600, 42999, PortLeases::bindableOnLoopback).acquire(dir, "stopper").port();
        var spec = new VmRuntimeSpec("it", "stopper", "qemu-system-x86_64", Accelerator.TCG, MachineType.PC, Optional.empty(),
                2, 1024, overlay, Optional.of(seed), List.of(), List.of(),
                List.of(new UserNetwork("52:54:00:ab:cd:01", sshPort, List.of(), true)), QemuRuntimeFiles.in(dir));

        try (TestVm vm = TestVm.start(dir, spec); QmpClient qmp = QmpClient.connect(spec.files().qmpSocket(), Duration.ofSeconds(20))) {
            long booting = System.nanoTime();
            try (GuestAgentClient agent = GuestAgentClient.connect(spec.files().guestAgentSocket(), BOOT)) {
                System.out.printf("guest agent answered %.1f s after QEMU started%n", (System.nanoTime() - booting) / 1e9);
                agent.ping(Duration.ofSeconds(10));
                JsonNode info = agent.info(Duration.ofSeconds(10));
                assertThat(info.path("version").asString()).isNotBlank();
                assertThat(info.path("supported_commands").valueStream()
                        .anyMatch(c -> c.path("name").asString().equals("guest-shutdown"))).isTrue();
                GuestAgentClient.ExecResult result = agent.exec(List.of("/bin/sh", "-c", "echo from-guest; exit 3"), Duration.ofSeconds(30));
                assertThat(result.exitCode()).isEqualTo(3);
                assertThat(result.stdout()).isEqualTo("from-guest\n");
            }
            SerialConsoleIT.awaitFileContains(spec.files().consoleLog(), "login:", BOOT);

            VmExitWatch exit = VmExitWatch.anyOf(List.of(VmExitWatch.process(vm.process.toHandle()), VmExitWatch.qmp(qmp)));
            long stopping = System.nanoTime();
            StopChain.Outcome outcome = new StopChain(List.of(
                    new StopChain.Stage(new GuestAgentShutdown(spec.files().guestAgentSocket(), exit), Duration.ofSeconds(90)),
                    new StopChain.Stage(new SigtermStop(vm.process.toHandle()), Duration.ofSeconds(15)))).run(exit);
            System.out.printf("guest-shutdown to QEMU exit: %.1f s%n", (System.nanoTime() - stopping) / 1e9);
            assertThat(outcome.stoppedBy()).as(outcome.toString()).contains("guest-agent");
            assertGuestInitiatedShutdown(qmp);
            // the QMP socket closes while QEMU tears down; the process itself ends a moment later
            assertThat(vm.awaitExit(Duration.ofSeconds(10))).isTrue();
            assertThat(vm.process.exitValue()).isZero();
        }
    }

    private static void assertGuestInitiatedShutdown(QmpClient qmp) {
        Optional<QmpEvent> shutdown = qmp.awaitEvent("SHUTDOWN", Duration.ofSeconds(5));
        assertThat(shutdown).isPresent();
        assertThat(shutdown.get().data().path("guest").asBoolean()).isTrue();
        assertThat(shutdown.get().data().path("reason").asString()).isEqualTo("guest-shutdown");
    }

    private static Path cachedGuestImage() throws IOException {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path root = (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
                .resolve("qemu-compose-test/images");
        Optional<Path> image = Optional.empty();
        if (Files.isDirectory(root)) {
            try (Stream<Path> dirs = Files.list(root)) {
                image = dirs.map(d -> d.resolve("debian-12.qcow2")).filter(Files::isRegularFile)
                        .max(java.util.Comparator.comparing(p -> p.toFile().lastModified()));
            }
        }
        Assumptions.assumeTrue(image.isPresent(), "no guest image in " + root + ": run scripts/build-guest-image");
        return image.get();
    }
}
