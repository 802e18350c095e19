package io.qemucompose.it.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qemucompose.driver.qemu.QmpClient;
import io.qemucompose.driver.qemu.QmpEvent;
import io.qemucompose.driver.qemu.QmpException;
import io.qemucompose.driver.qemu.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QmpClientIT {

    private static final Duration CONNECT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void connectsToARunningVmAndReportsItsStatusAndPid() throws Exception {
        try (TestVm vm = TestVm.startEcho(dir); QmpClient qmp = QmpClient.connect(vm.files().qmpSocket(), CONNECT)) {
            assertThat(qmp.queryStatus()).isEqualTo(RunState.RUNNING);
            assertThat(qmp.qemuVersion()).matches("\\d+\\.\\d+\\.\\d+");
            assertThat(Files.readString(vm.files().pidFile()).trim()).isEqualTo(Long.toString(vm.process.pid()));
        }
    }

    @Test
    void connectWaitsForTheSocketQemuCreatesAfterStarting() throws Exception {
        var spec = TestVm.echoSpec(dir, "late", java.util.List.of(), java.util.List.of(), java.util.List.of(), Optional.empty());
        CompletableFuture<QmpClient> connecting = CompletableFuture.supplyAsync(() -> QmpClient.connect(spec.files().qmpSocket(), CONNECT));
        assertThat(Files.exists(spec.files().qmpSocket())).isFalse();
        try (TestVm vm = TestVm.start(dir, spec); QmpClient qmp = connecting.get()) {
            assertThat(qmp.queryStatus()).isEqualTo(RunState.RUNNING);
        }
    }

    @Test
    void stopAndContPauseAndResumeWithEvents() throws Exception {
        try (TestVm vm = TestVm.startEcho(dir); QmpClient qmp = QmpClient.connect(vm.files().qmpSocket(), CONNECT)) {
            qmp.stop();
            assertThat(qmp.awaitEvent("STOP", Duration.ofSeconds(10))).isPresent();
            assertThat(qmp.queryStatus()).isEqualTo(RunState.PAUSED);
            qmp.cont();
            assertThat(qmp.awaitEvent("RESUME", Duration.ofSeconds(10))).isPresent();
            assertThat(qmp.queryStatus()).isEqualTo(RunState.RUNNING);
        }
    }

    @Test
    void systemPowerdownDeliversThePowerdownEventToAwaitersAndListeners() throws Exception {
        try (TestVm vm = TestVm.startEcho(dir); QmpClient qmp = QmpClient.connect(vm.files().qmpSocket(), CONNECT)) {
            var heard = new CompletableFuture<QmpEvent>();
            try (var ignored = qmp.addEventListener(e -> {
                if (e.name().equals("POWERDOWN")) {
                    heard.complete(e);
                }
            })) {
                qmp.systemPowerdown();
                assertThat(qmp.awaitEvent("POWERDOWN", Duration.ofSeconds(10))).isPresent();
                assertThat(heard.get(10, java.util.concurrent.TimeUnit.SECONDS).timestamp()).isNotNull();
            }
            // the echo guest has no ACPI handling: the button press changes nothing
            assertThat(qmp.awaitEvent("SHUTDOWN", Duration.ofSeconds(2))).isEmpty();
            assertThat(qmp.queryStatus()).isEqualTo(RunState.RUNNING);
        }
    }

    @Test
    void quitEndsQemuWithAShutdownEventAndClosesTheConnection() throws Exception {
        try (TestVm vm = TestVm.startEcho(dir); QmpClient qmp = QmpClient.connect(vm.files().qmpSocket(), CONNECT)) {
            qmp.quit();
            Optional<QmpEvent> shutdown = qmp.awaitEvent("SHUTDOWN", Duration.ofSeconds(10));
            assertThat(shutdown).isPresent();
            assertThat(shutdown.get().data().path("reason").asString()).isEqualTo("host-qmp-quit");
            assertThat(qmp.awaitDisconnect(Duration.ofSeconds(10))).isTrue();
            assertThat(vm.awaitExit(Duration.ofSeconds(10))).isTrue();
            assertThat(vm.process.exitValue()).isZero();
            assertThatThrownBy(qmp::queryStatus).isInstanceOf(QmpException.class).hasMessageContaining("closed");
        }
    }

    @Test
    void qemuErrorsCarryTheirErrorClass() throws Exception {
        try (TestVm vm = TestVm.startEcho(dir); QmpClient qmp = QmpClient.connect(vm.files().qmpSocket(), CONNECT)) {
            assertThatThrownBy(() -> qmp.execute("no-such-command"))
                    .isInstanceOfSatisfying(QmpException.class, e -> assertThat(e.errorClass()).contains("CommandNotFound"));
            assertThat(qmp.humanMonitorCommand("info chardev")).contains("serial0");
        }
    }

    @Test
    void aSecondClientIsToldThatQmpIsInUse() throws Exception {
        try (TestVm vm = TestVm.startEcho(dir); QmpClient first = QmpClient.connect(vm.files().qmpSocket(), CONNECT)) {
            assertThatThrownBy(() -> QmpClient.connect(vm.files().qmpSocket(), Duration.ofSeconds(2)))
                    .isInstanceOf(QmpException.class).hasMessageContaining("one QMP client at a time");
            assertThat(first.queryStatus()).isEqualTo(RunState.RUNNING);
        }
    }

    @Test
    void connectingToAVmThatIsNotRunningFailsClearly() {
        assertThatThrownBy(() -> QmpClient.connect(dir.resolve("qmp.sock"), Duration.ofMillis(300)))
                .isInstanceOf(QmpException.class).hasMessageContaining("not reachable");
    }
}
