package io.qemucompose.health;

import io.qemucompose.driver.ssh.SshClient;
import io.qemucompose.driver.ssh.SshException;
import io.qemucompose.spec.Healthcheck;
import java.util.Map;

/**
 * Runs a VM's healthcheck once over SSH with its timeout. Nothing is remembered between commands:
 * {@code ps} probes on demand, so what it shows is what the guest answers now, not a cache that
 * may lie after a reboot.
 */
public final class HealthProbe {

    /** One probe: passed when the command exited 0; {@code output} is what it printed, or why it could not run. */
    public record Outcome(boolean passed, int exitCode, String output) {
    }

    private final SshClient ssh;

    public HealthProbe(SshClient ssh) {
        this.ssh = ssh;
    }

    public Outcome run(SshClient.Target target, Healthcheck check, Map<String, String> environment) {
        try {
            SshClient.ExecResult r = ssh.exec(target, HealthTest.remoteCommand(check, environment), check.timeout());
            String output = (r.stdout() + r.stderr()).strip();
            return new Outcome(r.exitCode() == 0, r.exitCode(), output);
        } catch (SshException e) {
            return new Outcome(false, -1, String.valueOf(e.getMessage()));
        }
    }
}
