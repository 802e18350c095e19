package io.qemucompose.apply;

import io.qemucompose.driver.cloudinit.DefaultUser;
import io.qemucompose.driver.ssh.Readiness;
import io.qemucompose.driver.ssh.SshClient;
import io.qemucompose.driver.systemd.SystemdUserManager;
import io.qemucompose.driver.systemd.UnitManager;
import io.qemucompose.driver.systemd.UnitStatus;
import io.qemucompose.health.Health;
import io.qemucompose.health.HealthProbe;
import io.qemucompose.health.HealthState;
import io.qemucompose.health.HealthTest;
import io.qemucompose.spec.Healthcheck;
import io.qemucompose.state.ProjectState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Waits until a VM is ready: SSH accepts the project key and cloud-init has finished, then, for a
 * VM with a healthcheck, until the healthcheck passes (docker compose's healthy). Between
 * probes it waits on the unit's D-Bus signals (so a VM that dies is noticed at once) for at most a
 * second — a polled condition with a deadline, never a blind sleep.
 */
final class VmReadiness {

    /**
     * One probe's limit. A loaded TCG guest takes several seconds for the SSH handshake alone; a
     * probe cut short counts as "unreachable" however ready the guest is, so be generous. A guest
     * without sshd yet fails fast (QEMU's forward closes the connection), so this costs nothing then.
     */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration BETWEEN_PROBES = Duration.ofSeconds(1);

    private final ApplyContext ctx;

    VmReadiness(ApplyContext ctx) {
        this.ctx = ctx;
    }

    void await(String vm, Duration timeout) throws InterruptedException, VmNotReadyException {
        UnitManager systemd = ctx.drivers().systemd();
        String unit = ctx.unitName(vm);
        int port = ctx.state().read().vm(vm).map(ProjectState.VmRecord::sshPort)
                .orElseThrow(() -> new IllegalStateException("no SSH port recorded for " + vm));
        var spec = ctx.vm(vm).spec();
        String user = DefaultUser.resolve(spec.image().location().toString(), spec.user());
        SshClient ssh = new SshClient(ctx.layout().knownHosts());
        var target = new SshClient.Target("127.0.0.1", port, user, ctx.layout().sshPrivateKey());
        Semaphore changed = new Semaphore(0);
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Readiness last = null;
        try (AutoCloseable ignored = systemd.onUnitChange(u -> {
            if (u.equals(unit)) {
                changed.release();
            }
        })) {
            while (true) {
                UnitStatus status = systemd.unit(unit);
                if (!status.loaded() || status.isStopped()) {
                    throw new VmNotReadyException(vm + ": the VM stopped while booting (unit " + status.activeState()
                            .value() + ")" + logTail(ctx, vm));
                }
                long remaining = Math.max(Duration.ofSeconds(1).toNanos(), deadline - System.nanoTime());
                last = ssh.probeReady(target, Duration.ofNanos(Math.min(remaining, PROBE_TIMEOUT.toNanos())),
                        spec.os().cloudInit());
                if (last.ready()) {
                    ctx.progress().accept(vm + ": ready in " + Duration.ofNanos(System.nanoTime() - start).toSeconds()
                            + " s");
                    if (spec.healthcheck().isPresent()) {
                        awaitHealthy(vm, target, spec.healthcheck().get(), spec.environment(), deadline, changed);
                    }
                    return;
                }
                if (last instanceof Readiness.ProvisioningFailed failed) {
                    throw new VmNotReadyException(vm + ": cloud-init failed (" + failed.status() + ")");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new VmNotReadyException(vm + ": not ready within " + timeout.toSeconds() + " s (last: "
                            + last + ")");
                }
                changed.tryAcquire(Math.min(left, BETWEEN_PROBES.toNanos()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException | VmNotReadyException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs the healthcheck every {@code interval} until docker's state machine says healthy (done)
     * or unhealthy (failed with the test's last output). Docker's default interval of 30 s would
     * make a VM whose first probe fails wait half a minute, which is what compose does too.
     */
    private void awaitHealthy(String vm, SshClient.Target target, Healthcheck check, Map<String, String> environment,
            long readyDeadline, Semaphore changed) throws InterruptedException, VmNotReadyException {
        HealthProbe probe = new HealthProbe(new SshClient(ctx.layout().knownHosts()));
        long start = System.nanoTime();
        HealthState state = new HealthState(check, start);
        long deadline = Math.min(readyDeadline, state.verdictDeadlineNanos());
        while (true) {
            HealthProbe.Outcome outcome = probe.run(target, check, environment);
            Health health = state.record(outcome.passed(), System.nanoTime());
            if (health == Health.HEALTHY) {
                ctx.progress().accept(vm + ": healthy in " + Duration.ofNanos(System.nanoTime() - start).toSeconds()
                        + " s");
                return;
            }
            if (health == Health.UNHEALTHY || System.nanoTime() - deadline >= 0) {
                throw new VmNotReadyException(vm + ": " + (health == Health.UNHEALTHY ? "unhealthy" : "not healthy within "
                        + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s") + " (healthcheck: "
                        + HealthTest.remoteCommand(check) + "; last exit " + outcome.exitCode() + ", output: "
                        + (outcome.output().isEmpty() ? "none" : outcome.output()) + ")");
            }
            // the interval is a polled condition's period; a unit that stops ends the wait at once
            long next = System.nanoTime() + check.interval().toNanos();
            while (System.nanoTime() - next < 0) {
                changed.tryAcquire(next - System.nanoTime(), TimeUnit.NANOSECONDS);
                UnitStatus status = ctx.drivers().systemd().unit(ctx.unitName(vm));
                if (!status.loaded() || status.isStopped()) {
                    throw new VmNotReadyException(vm + ": the VM stopped during its healthcheck" + logTail(ctx, vm));
                }
            }
        }
    }

    /** The last lines of the unit's and the console's logs, to say why a VM did not come up. */
    static String logTail(ApplyContext ctx, String vm) {
        StringBuilder sb = new StringBuilder();
        for (Path log : List.of(ctx.layout().unitLog(vm), ctx.layout().consoleLog(vm))) {
            try {
                if (Files.isRegularFile(log)) {
                    List<String> lines = Files.readAllLines(log, java.nio.charset.StandardCharsets.ISO_8859_1);
                    List<String> tail = lines.subList(Math.max(0, lines.size() - 5), lines.size());
                    if (!tail.isEmpty()) {
                        sb.append("\n  last lines of ").append(log).append(":\n    ").append(String.join("\n    ", tail));
                    }
                }
            } catch (IOException ignored) {
                // best effort: the error message is the point
            }
        }
        return sb.toString();
    }
}
