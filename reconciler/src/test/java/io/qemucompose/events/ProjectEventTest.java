package io.qemucompose.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProjectEventTest {
    private final ProjectEvent powerdown = new ProjectEvent(Instant.parse("2025-01-02T10:41:07.412Z"), "qmp", "web",
            "POWERDOWN", Map.of("reason", "host-qmp-system-powerdown"));

    @Test
    void jsonLineRoundTripsAndLeavesOutAnEmptyVm() {
        assertThat(powerdown.toJson()).isEqualTo("{\"time\":\"2025-01-02T10:41:07.412Z\",\"type\":\"qmp\",\"vm\":\"web\","
                + "\"action\":\"POWERDOWN\",\"attributes\":{\"reason\":\"host-qmp-system-powerdown\"}}");
        assertThat(ProjectEvent.fromJson(powerdown.toJson())).isEqualTo(powerdown);
        assertThat(new ProjectEvent(powerdown.time(), "pass", null, "finished", Map.of()).toJson()).doesNotContain("\"vm\"");
    }

    @Test
    void textLineReadsLikeDockerComposeEvents() {
        assertThat(powerdown.toText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.412000 qmp web POWERDOWN"
                + " \\(reason=host-qmp-system-powerdown\\)");
    }
}
