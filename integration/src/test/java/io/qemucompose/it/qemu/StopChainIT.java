package io.qemucompose.it.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qemucompose.driver.qemu.AcpiPowerdown;
import io.qemucompose.driver.qemu.GuestAgentClient;
import io.qemucompose.driver.qemu.GuestAgentException;
import io.qemucompose.driver.qemu.GuestAgentShutdown;
import io.qemucompose.driver.qemu.QmpClient;
import io.qemucompose.driver.qemu.SigtermStop;
import io.qemucompose.driver.qemu.StopChain;
import io.qemucompose.driver.qemu.VmExitWatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stop chain against a guest that ignores every polite request (the echo boot sector). */
class StopChainIT {

    @TempDir
    Path dir;

    @Test
    void guestAgentTimesOutClearlyWhenTheGuestRunsNoAgent() throws Exception {
        try (TestVm vm = TestVm.startEcho(dir)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> GuestAgentClient.connect(vm.files().guestAgentSocket(), Duration.ofSeconds(2)))
                    .isInstanceOf(GuestAgentException.class).hasMessageContaining("qemu-guest-agent installed and running");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void chainFallsThroughAgentAndAcpiToSigtermAndSaysSo() throws Exception {
        try (TestVm vm = TestVm.startEcho(dir); QmpClient qmp = QmpClient.connect(vm.files().qmpSocket(), Duration.ofSeconds(20))) {
            VmExitWatch exit = VmExitWatch.anyOf(List.of(VmExitWatch.process(vm.process.toHandle()), VmExitWatch.qmp(qmp)));
            var chain = new StopChain(List.of(
                    new StopChain.Stage(new GuestAgentShutdown(vm.files().guestAgentSocket(), exit, Duration.ofSeconds(1)), Duration.ofSeconds(2)),
                    new StopChain.Stage(new AcpiPowerdown(qmp, exit), Duration.ofSeconds(2)),
                    new StopChain.Stage(new SigtermStop(vm.process.toHandle()), Duration.ofSeconds(15))));
            StopChain.Outcome outcome = chain.run(exit);
            assertThat(outcome.stoppedBy()).contains("sigterm");
            assertThat(outcome.attempts()).extracting(StopChain.Attempt::step).containsExactly("guest-agent", "acpi", "sigterm");
            assertThat(outcome.attempts().get(0).failure()).hasValueSatisfying(m -> assertThat(m).contains("guest-sync-delimited"));
            assertThat(outcome.attempts().get(1).stopped()).isFalse();
            assertThat(vm.process.isAlive()).isFalse();
            assertThat(qmp.awaitEvent("SHUTDOWN", Duration.ofSeconds(5)))
                    .hasValueSatisfying(e -> assertThat(e.data().path("reason").asString()).isEqualTo("host-signal"));
        }
    }
}
