package io.qemucompose.apply;

import io.qemucompose.driver.cloudinit.DefaultUser;
import io.qemucompose.driver.qemu.AcpiPowerdown;
import io.qemucompose.driver.qemu.GuestAgentShutdown;
import io.qemucompose.driver.qemu.QmpClient;
import io.qemucompose.driver.qemu.StopChain;
import io.qemucompose.driver.qemu.StopStep;
import io.qemucompose.driver.qemu.VmExitWatch;
import io.qemucompose.driver.ssh.SshClient;
import io.qemucompose.driver.systemd.SystemdException;
import io.qemucompose.driver.systemd.SystemdUserManager;
import io.qemucompose.driver.systemd.UnitManager;
import io.qemucompose.driver.systemd.UnitStatus;
import io.qemucompose.state.ProjectState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stops a VM: gracefully through the guest agent, then the ACPI power button over QMP, then
 * {@code sudo systemctl poweroff} over SSH, each with its share of the deadline; at last (or at
 * once with {@code --force}) systemd stops the unit, which sends SIGTERM and later SIGKILL.
 */
final class VmStopper {

    private static final Duration AGENT_DEADLINE = Duration.ofSeconds(20);
    private static final Duration SSH_DEADLINE = Duration.ofSeconds(20);

    private final ApplyContext ctx;

    VmStopper(ApplyContext ctx) {
        this.ctx = ctx;
    }

    /** Returns the name of the step that stopped the VM. */
    String stop(String vm, boolean force, Duration timeout) {
        UnitManager systemd = ctx.drivers().systemd();
        String unit = ctx.unitName(vm);
        VmExitWatch exited = t -> {
            try {
                systemd.awaitState(unit, s -> !s.loaded() || s.isStopped(), t);
                return true;
            } catch (SystemdException e) {
                return false;
            }
        };
        if (exited.awaitExit(Duration.ZERO)) {
            return "already-stopped";
        }
        UnitOwnership.requireOurs(ctx, vm, unit, "stop");
        String by = force ? sigterm(systemd, unit) : graceful(vm, timeout, exited, systemd, unit);
        ctx.progress().accept(vm + ": stopped (" + by + ")");
        return by;
    }

    private String graceful(String vm, Duration timeout, VmExitWatch exited, UnitManager systemd, String unit) {
        List<StopChain.Stage> stages = new ArrayList<>();
        Path agent = ctx.layout().reachableSocket(ctx.layout().guestAgentSocket(vm));
        if (Files.exists(agent)) {
            stages.add(new StopChain.Stage(new GuestAgentShutdown(agent, exited), min(AGENT_DEADLINE, timeout)));
        }
        QmpClient qmp = null;
        try {
            qmp = QmpClient.connect(ctx.layout().reachableSocket(ctx.layout().qmpSocket(vm)), Duration.ofSeconds(2));
            stages.add(new StopChain.Stage(new AcpiPowerdown(qmp, exited), timeout));
        } catch (RuntimeException e) {
            // QMP busy or gone: the other steps still work
        }
        sshPoweroff(vm, exited).ifPresent(step -> stages.add(new StopChain.Stage(step, min(SSH_DEADLINE, timeout))));
        try {
            StopChain.Outcome outcome = new StopChain(stages).run(exited);
            if (outcome.stopped()) {
                return outcome.stoppedBy().orElseThrow();
            }
        } finally {
            if (qmp != null) {
                qmp.close();
            }
        }
        return sigterm(systemd, unit) + " after " + timeout.toSeconds() + " s grace";
    }

    private Optional<StopStep> sshPoweroff(String vm, VmExitWatch exited) {
        Optional<Integer> port = ctx.state().read().vm(vm).map(ProjectState.VmRecord::sshPort);
        if (port.isEmpty() || !ctx.desired().vms().containsKey(vm)) {
            return Optional.empty();
        }
        var spec = ctx.vm(vm).spec();
        String user = DefaultUser.resolve(spec.image().location().toString(), spec.user());
        SshClient ssh = new SshClient(ctx.layout().knownHosts());
        var target = new SshClient.Target("127.0.0.1", port.get(), user, ctx.layout().sshPrivateKey());
        return Optional.of(new StopStep() {
            @Override
            public String name() {
                return "ssh-poweroff";
            }

            @Override
            public boolean attempt(Duration deadline) {
                try {
                    ssh.exec(target, spec.os().poweroffCommand(), Duration.ofSeconds(10));
                } catch (RuntimeException e) {
                    // the connection drops as the guest goes down
                }
                return exited.awaitExit(deadline);
            }
        });
    }

    private static String sigterm(UnitManager systemd, String unit) {
        UnitStatus status = systemd.unit(unit);
        if (status.loaded() && !status.isStopped()) {
            systemd.stopUnit(unit, Duration.ofSeconds(60));
        }
        return "sigterm";
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
