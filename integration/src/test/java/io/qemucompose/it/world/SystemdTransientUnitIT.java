package io.qemucompose.it.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qemucompose.driver.systemd.ActiveState;
import io.qemucompose.driver.systemd.OutputTarget;
import io.qemucompose.driver.systemd.SystemdException;
import io.qemucompose.driver.systemd.SystemdUserManager;
import io.qemucompose.driver.systemd.TransientUnit;
import io.qemucompose.driver.systemd.UnitStatus;
import io.qemucompose.testkit.PrivateSystemdUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The product's systemd driver against a real, private systemd --user over D-Bus. */
class SystemdTransientUnitIT {

    @RegisterExtension
    static PrivateSystemdUser systemd = new PrivateSystemdUser();

    private SystemdUserManager client;

    @BeforeEach
    void connect() {
        client = systemd.connect();
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void transientUnitStartsByJobSignalRunsAndStopsWithoutLeavingAProcessOrCgroup(@TempDir Path dir) throws Exception {
        String name = "qct-sleep-" + ProcessHandle.current().pid() + ".service";
        Path log = dir.resolve("sleep.log");
        var changes = new CopyOnWriteArrayList<String>();
        try (var subscription = client.onUnitChange(unit -> { if (unit.equals(name)) changes.add(unit); })) {
            var unit = TransientUnit.service(name, List.of("/bin/sh", "-c", "echo started; exec sleep 300"))
                    .description("testkit sleeper")
                    .workingDirectory(dir)
                    .environment("GREETING", "hello")
                    .standardOutput(OutputTarget.append(log))
                    .standardError(OutputTarget.append(log))
                    .timeoutStop(Duration.ofSeconds(5))
                    .build();

            var started = client.startTransientUnit(unit, Duration.ofSeconds(30));
            assertThat(started.done()).as("start job result %s", started.result()).isTrue();

            UnitStatus running = client.awaitState(name, UnitStatus::isActive, Duration.ofSeconds(30));
            assertThat(running.subState()).isEqualTo("running");
            assertThat(running.mainPid()).isPositive();
            long pid = running.mainPid();
            assertThat(ProcessHandle.of(pid)).as("main process %d", pid).isPresent();
            Path unitCgroup = systemd.cgroupDirs().getFirst().resolve("app.slice").resolve(name);
            assertThat(Files.readString(unitCgroup.resolve("cgroup.procs"))).contains(Long.toString(pid));
            assertThat(client.listUnits("qct-sleep-")).extracting(UnitStatus::name).containsExactly(name);
            awaitFileContains(log, "started");

            var stopped = client.stopUnit(name, Duration.ofSeconds(30));
            assertThat(stopped.done()).isTrue();
            UnitStatus gone = client.awaitState(name, UnitStatus::isInactive, Duration.ofSeconds(30));
            assertThat(gone.activeState()).isEqualTo(ActiveState.INACTIVE);

            assertThat(changes).as("state changes seen by signal").isNotEmpty();
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("process %d after stop", pid).isEmpty();
            assertThat(unitCgroup).as("unit cgroup after stop").doesNotExist();
            assertThat(client.listUnits("qct-sleep-")).isEmpty();
            assertThat(client.stopUnit(name).result()).isEqualTo("not-loaded");
        }
    }

    @Test
    void failingUnitIsReportedFailedThenCollected(@TempDir Path dir) {
        String name = "qct-fail-" + ProcessHandle.current().pid() + ".service";
        var unit = TransientUnit.service(name, List.of("/bin/sh", "-c", "exit 3")).collectMode("inactive").build();
        client.startTransientUnit(unit, Duration.ofSeconds(30));
        UnitStatus failed = client.awaitState(name, UnitStatus::isFailed, Duration.ofSeconds(30));
        assertThat(failed.result()).isEqualTo("exit-code");
        client.resetFailed(name);
        assertThat(client.awaitState(name, s -> !s.loaded(), Duration.ofSeconds(30)).isInactive()).isTrue();
    }

    @Test
    void killedMainProcessFailsTheUnitWithResultSignalAndAnUnmetWaitReportsTheLastState() {
        String name = "qct-kill-" + ProcessHandle.current().pid() + ".service";
        var unit = TransientUnit.service(name, List.of("/bin/sleep", "300")).collectMode("inactive").build();
        client.startTransientUnit(unit, Duration.ofSeconds(30));
        long pid = client.awaitState(name, UnitStatus::isActive, Duration.ofSeconds(30)).mainPid();

        client.killUnit(name, "main", 9);

        UnitStatus failed = client.awaitState(name, UnitStatus::isFailed, Duration.ofSeconds(30));
        assertThat(failed.result()).isEqualTo("signal");
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThatThrownBy(() -> client.awaitState(name, UnitStatus::isActive, Duration.ofMillis(300)))
                .isInstanceOf(SystemdException.class)
                .hasMessageContaining(name).hasMessageContaining("FAILED");
        client.resetFailed(name);
        assertThat(client.awaitState(name, s -> !s.loaded(), Duration.ofSeconds(30)).isInactive()).isTrue();
    }

    @Test
    void aCollectedUnitsResultIsKeptFromItsLastSignalAndAccountingIsRead() {
        String name = "qct-end-" + ProcessHandle.current().pid() + ".service";
        var unit = TransientUnit.service(name, List.of("/bin/sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; exec sleep 300"))
                .build(); // collected when it stops or fails, as a VM's unit is
        client.startTransientUnit(unit, Duration.ofSeconds(30));
        client.awaitState(name, UnitStatus::isActive, Duration.ofSeconds(30));
        var accounting = client.accounting(name);
        assertThat(accounting.mainPid()).isPositive();
        // a private user manager without delegated controllers accounts nothing: then stats reads /proc
        System.out.println("accounting of a running unit: " + accounting);

        client.killUnit(name, "main", 9);

        client.awaitState(name, UnitStatus::isStopped, Duration.ofSeconds(30));
        client.awaitState(name, s -> !s.loaded(), Duration.ofSeconds(30));
        assertThat(client.lastResult(name)).contains("signal");
        assertThat(client.accounting(name)).isEqualTo(io.qemucompose.driver.systemd.UnitAccounting.none());
    }

    private static void awaitFileContains(Path file, String text) {
        io.qemucompose.testkit.Commands.awaitCondition(file + " to contain " + text, Duration.ofSeconds(10),
                Duration.ofMillis(20), () -> {
                    try {
                        return Files.exists(file) && Files.readString(file).contains(text);
                    } catch (java.io.IOException e) {
                        return false;
                    }
                });
    }
}
