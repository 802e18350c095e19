package io.qemucompose.health;

import io.qemucompose.driver.cloudinit.ShellWords;
import io.qemucompose.spec.Healthcheck;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A healthcheck's {@code test} as the one command line SSH hands to the guest's login shell. The
 * shell form ({@code test: "curl -f localhost"} or {@code [CMD-SHELL, "…"]}) runs under
 * {@code /bin/sh -c}, as docker runs it; {@code [CMD, arg, …]} is each argument quoted, so the
 * guest runs exactly that argv whatever spaces, quotes or {@code $} it holds.
 */
public final class HealthTest {

    private HealthTest() {
    }

    public static String remoteCommand(Healthcheck check) {
        return remoteCommand(check, Map.of());
    }

    /** With the VM's {@code environment:} set for the test (SSH's non-login shell reads no profile). */
    public static String remoteCommand(Healthcheck check, Map<String, String> environment) {
        String command = check.shell() ? "/bin/sh -c " + ShellWords.quote(check.test().getFirst())
                : check.test().stream().map(ShellWords::quote).collect(Collectors.joining(" "));
        if (environment.isEmpty()) {
            return command;
        }
        return "env " + environment.entrySet().stream().map(e -> ShellWords.quote(e.getKey() + "=" + e.getValue()))
                .collect(Collectors.joining(" ")) + " " + command;
    }
}
