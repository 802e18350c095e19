package io.qemucompose.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.systemd.ActiveState;
import io.qemucompose.driver.systemd.UnitStatus;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UnitEndTest {

    private static final String UNIT = "qemu-compose-demo-web.service";

    @Test
    void aCollectedUnitEndsWithTheResultItsLastSignalCarried() {
        UnitEnd killed = UnitEnd.of("web", UnitStatus.notLoaded(UNIT), Optional.of("signal"), true);
        assertThat(killed.exitCode()).isEqualTo(1);
        assertThat(killed.line()).isEqualTo("web: stopped, result signal (exit 1)");
        UnitEnd poweredOff = UnitEnd.of("web", UnitStatus.notLoaded(UNIT), Optional.of("success"), true);
        assertThat(poweredOff.exitCode()).isZero();
    }

    @Test
    void aLoadedUnitsOwnResultWins() {
        var failed = new UnitStatus(UNIT, "loaded", ActiveState.FAILED, "failed", 0, "exit-code");
        assertThat(UnitEnd.of("web", failed, Optional.of("success"), true).result()).isEqualTo("exit-code");
        var gone = new UnitStatus(UNIT, "loaded", ActiveState.FAILED, "failed", 0, "");
        assertThat(UnitEnd.of("web", gone, Optional.empty(), true).exitCode()).isEqualTo(1);
    }

    @Test
    void anEndNotSeenIsNotASuccessButAVmThatWasNotRunningIs() {
        assertThat(UnitEnd.of("web", UnitStatus.notLoaded(UNIT), Optional.empty(), true).exitCode()).isEqualTo(1);
        UnitEnd idle = UnitEnd.of("web", UnitStatus.notLoaded(UNIT), Optional.empty(), false);
        assertThat(idle.exitCode()).isZero();
        assertThat(idle.line()).isEqualTo("web: not running, result success (exit 0)");
    }
}
