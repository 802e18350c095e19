package io.qemucompose.status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The SSH readiness probe's deadline when the user gave none: {@link VmStatusProbe#DEFAULT_PROBE_TIMEOUT}
 * on a host with cores to spare, longer when its load is above its cores, up to four times as long.
 * Under TCG the guest's sshd shares the host's cores with every other guest: a login that takes 30 ms
 * on an idle host took 5–9 s at load 6 on two cores, and a probe cut short shows a ready VM as
 * "starting" (seen right after {@code up} had said "ready"). The one-minute load average is what
 * the kernel already knows about that contention; reading it costs one small file.
 */
public final class ProbeTimeout {

    static final int MAX_FACTOR = 4;
    private static final Path LOADAVG = Path.of("/proc/loadavg");

    private ProbeTimeout() {}

    /** For this host, now. */
    public static Duration forThisHost() {
        return scaled(VmStatusProbe.DEFAULT_PROBE_TIMEOUT, loadAverage(), Runtime.getRuntime().availableProcessors());
    }

    static Duration scaled(Duration base, double load, int cpus) {
        double factor = Math.min(MAX_FACTOR, Math.max(1.0, load / Math.max(1, cpus)));
        return Duration.ofMillis(Math.round(base.toMillis() * factor));
    }

    /** The one-minute load average; 0 where {@code /proc/loadavg} cannot be read. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(LOADAVG).split(" ", 2)[0]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
