package io.qemucompose.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.spec.Healthcheck;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthTestTest {

    private static Healthcheck check(boolean shell, String... test) {
        return new Healthcheck(List.of(test), shell, Duration.ofSeconds(2), Duration.ofSeconds(5), 3, Duration.ZERO);
    }

    @Test
    void shellFormRunsUnderBinShWithTheLineAsOneWord() {
        assertThat(HealthTest.remoteCommand(check(true, "curl -fs localhost || exit 1")))
                .isEqualTo("/bin/sh -c 'curl -fs localhost || exit 1'");
    }

    @Test
    void cmdFormQuotesEachArgumentSoTheGuestRunsExactlyThatArgv() {
        assertThat(HealthTest.remoteCommand(check(false, "test", "-f", "/srv/it's ready", "$HOME")))
                .isEqualTo("test -f '/srv/it'\\''s ready' '$HOME'");
    }

    @Test
    void singleQuotesInsideTheShellFormSurviveTheRemoteShell() {
        assertThat(HealthTest.remoteCommand(check(true, "grep -q 'ok' /tmp/x")))
                .isEqualTo("/bin/sh -c 'grep -q '\\''ok'\\'' /tmp/x'");
    }

    @Test
    void environmentIsSetForTheTestBecauseSshRunsANonLoginShell() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PORT", "8080");
        env.put("GREETING", "hello world");
        assertThat(HealthTest.remoteCommand(check(false, "true"), env))
                .isEqualTo("env PORT=8080 'GREETING=hello world' true");
    }
}
