package io.qemucompose.cli.command;

import io.qemucompose.status.ProbeTimeout;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --no-probe} and {@code --probe-timeout}, as {@code ps} and {@code inspect} both take them. */
final class ProbeOptions {

    @Option(names = "--no-probe", description = "Do not log in over SSH: running VMs show as 'active'.")
    private boolean noProbe;

    @Option(names = "--probe-timeout", paramLabel = "SECONDS",
            description = "Longest SSH readiness probe per VM (default 5 s, up to 20 s while the host's load "
                    + "is above its cores).")
    private Long probeTimeout;

    /** Whether running VMs are probed over SSH. */
    boolean enabled() {
        return !noProbe;
    }

    /** The user's deadline, or the one for this host's load ({@link ProbeTimeout}). */
    Duration timeout() {
        return probeTimeout != null ? Duration.ofSeconds(probeTimeout) : ProbeTimeout.forThisHost();
    }
}
