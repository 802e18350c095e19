package io.qemucompose.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Go tool's per-VM shape of up, stop and destroy, on a terminal and off it. */
class LifecycleOutputTest {

    private static final LifecycleOutput.VmOutcome WEB = new LifecycleOutput.VmOutcome("web",
            "qemu-compose-shop-web", Optional.empty());

    @Test
    void upOnATerminalReadsLikeTheSeed() {
        LifecycleOutput out = new LifecycleOutput(true);
        assertThat(out.vmBlock(LifecycleOutput.Verb.UP, WEB, List.of("Attach to console: qemu-compose console web")))
                .isEqualTo("""
                        VM: web
                          ✓ Started (unit: qemu-compose-shop-web)
                          Attach to console: qemu-compose console web
                        """);
        assertThat(out.summary(LifecycleOutput.Verb.UP, true)).isEqualTo("✓ All VMs started successfully");
    }

    @Test
    void offATerminalTheMarksArePlainAscii() {
        LifecycleOutput out = new LifecycleOutput(false);
        assertThat(out.vmBlock(LifecycleOutput.Verb.DESTROY, WEB, List.of())).isEqualTo("""
                VM: web
                  OK Stopped
                  OK Instance disk removed
                """);
        assertThat(out.vmBlock(LifecycleOutput.Verb.STOP, WEB, List.of())).isEqualTo("VM: web\n  OK Stopped\n");
        assertThat(out.summary(LifecycleOutput.Verb.STOP, true)).isEqualTo("OK All VMs stopped successfully");
        assertThat(out.summary(LifecycleOutput.Verb.DESTROY, false)).isEqualTo("FAILED Some VMs could not be removed");
    }

    @Test
    void aFailedVmSaysWhyInsteadOfItsDetails() {
        var db = new LifecycleOutput.VmOutcome("db", "qemu-compose-shop-db", Optional.of("db: unhealthy (exit 1)"));
        assertThat(new LifecycleOutput(true).vmBlock(LifecycleOutput.Verb.UP, db, List.of("View logs: x")))
                .isEqualTo("VM: db\n  ✗ Failed: db: unhealthy (exit 1)\n");
    }

    @Test
    void jsonHasOneEntryPerVmWithTheSameKeysForEachCommand() {
        var db = new LifecycleOutput.VmOutcome("db", "qemu-compose-shop-db", Optional.of("boom"));
        assertThat(JsonOutput.write(LifecycleOutput.json(LifecycleOutput.Verb.UP, "shop", 1, List.of(WEB, db)))
                .replaceAll("\\s", ""))
                .contains("\"command\":\"up\"", "\"succeeded\":false", "\"exit_code\":1",
                        "\"name\":\"web\",\"result\":\"started\",\"unit\":\"qemu-compose-shop-web\",\"error\":null",
                        "\"result\":\"failed\"", "\"error\":\"boom\"");
    }
}
