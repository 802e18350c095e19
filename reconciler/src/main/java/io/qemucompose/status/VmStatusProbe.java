package io.qemucompose.status;

import io.qemucompose.driver.Drivers;
import io.qemucompose.observe.UnitOwners;
import io.qemucompose.observe.WorldObserver;
import io.qemucompose.driver.cloudinit.DefaultUser;
import io.qemucompose.driver.qemu.DeviceProfiles;
import io.qemucompose.driver.qemu.GuestCpus;
import io.qemucompose.driver.qemu.RunState;
import io.qemucompose.driver.ssh.Readiness;
import io.qemucompose.driver.ssh.SshClient;
import io.qemucompose.driver.ssh.SshHostKeyException;
import io.qemucompose.driver.systemd.ActiveState;
import io.qemucompose.driver.systemd.UnitStatus;
import io.qemucompose.health.Health;
import io.qemucompose.health.HealthProbe;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.Healthcheck;
import io.qemucompose.spec.Names;
import io.qemucompose.spec.VmSpec;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.ProjectState;
import io.qemucompose.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Finds every VM's {@link VmState}: instance folders and state.json, the units' states from
 * systemd in one D-Bus call, the overlays' sizes from their qcow2 headers, and for running VMs one
 * SSH readiness probe each, all probes in parallel on virtual threads with a short timeout.
 *
 * <p>"ready" is never cached: a guest may reboot or lose sshd between two calls, and a probe of a
 * ready guest costs one SSH login (tens of milliseconds), so a cache would save little and lie.
 */
public final class VmStatusProbe {

    /**
     * A JSch login takes ~30 ms on an idle host but 5–9 s when TCG guests share two busy cores; a
     * probe cut short shows a ready VM as "starting", so {@code ps --probe-timeout} can raise it.
     * A frozen guest (no answer at all) costs the whole timeout — in parallel, so once per ps.
     */
    public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(5);

    /**
     * @param probe log in over SSH to tell "starting" from "ready" (else running VMs are "active")
     * @param includeOrphans also list instances whose VM is no longer in the compose file
     * @param only these VMs only (empty: all)
     */
    public record Options(boolean probe, Duration probeTimeout, boolean includeOrphans, Set<String> only) {
        public Options {
            only = Set.copyOf(only);
        }

        public static Options defaults() {
            return new Options(true, DEFAULT_PROBE_TIMEOUT, false, Set.of());
        }

        public Options only(java.util.Collection<String> vms) {
            return new Options(probe, probeTimeout, includeOrphans, Set.copyOf(vms));
        }
    }

    /** QEMU answers QMP at once; a longer wait means another client holds the socket. */
    private static final Duration QMP_TIMEOUT = Duration.ofSeconds(1);

    private final Drivers drivers;

    public VmStatusProbe(Drivers drivers) {
        this.drivers = drivers;
    }

    /** The status of each VM, in compose file order (orphans last, by name). */
    public List<VmStatus> probe(ComposeProject project, Options options) throws InterruptedException {
        WorldObserver.Instances world = new WorldObserver(drivers).instances(project, true);
        NicAddresses addresses = NicAddresses.read(project);
        Set<String> names = new LinkedHashSet<>(options.includeOrphans() ? world.names() : project.vms().keySet());
        if (!options.only().isEmpty()) {
            names.retainAll(options.only());
        }
        // A running unit of this name may belong to another folder with the same project name: it
        // is not ours to show as running (nor to probe over an SSH port that is not ours).
        java.util.Map<String, Path> foreign = new java.util.HashMap<>();
        for (String name : names) {
            if (world.unit(name).filter(u -> !u.isStopped()).isPresent()) {
                UnitOwners.otherOwner(drivers.systemd(), ProjectLayout.vmUnit(project.name(), name), project.projectDir())
                        .ifPresent(owner -> foreign.put(name, owner));
            }
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<VmStatus>> rows = new ArrayList<>();
            for (String name : names) {
                rows.add(pool.submit(() -> status(project, world, addresses, name, options, Optional.ofNullable(foreign.get(name)))));
            }
            List<VmStatus> out = new ArrayList<>();
            for (Future<VmStatus> row : rows) {
                try {
                    out.add(row.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("status of a VM failed: " + e.getCause().getMessage(), e.getCause());
                }
            }
            return out;
        }
    }

    private VmStatus status(ComposeProject project, WorldObserver.Instances world, NicAddresses addresses, String name,
            Options options, Optional<Path> foreignOwner) {
        ProjectLayout layout = world.layout();
        VmSpec spec = project.vms().get(name);
        String unit = ProjectLayout.withoutSuffix(ProjectLayout.vmUnit(project.name(), name));
        Optional<ProjectState.VmRecord> record = world.state().vm(name);
        Optional<Integer> port = record.map(ProjectState.VmRecord::sshPort);
        OptionalLong disk = diskSize(layout.overlayDisk(name));
        boolean instance = disk.isPresent() || Files.exists(layout.overlayDisk(name));
        int cpu = spec == null ? 0 : spec.cpu();
        long memory = spec == null ? 0 : spec.memoryMb();
        Result r = foreignOwner.isPresent()
                ? new Result(instance ? VmState.STOPPED : VmState.NOT_CREATED,
                        "unit " + unit + " belongs to the project in " + foreignOwner.get() + " (use -p NAME to tell them apart)")
                : state(layout, name, spec, world.unit(name), world.units().isPresent(), instance, port, options);
        boolean running = foreignOwner.isEmpty() && world.unit(name).map(u -> !u.isStopped()).orElse(false);
        List<GuestNic> nics = addresses.of(name, spec == null ? List.of() : spec.networks(), port, running);
        return new VmStatus(name, r.state(), r.detail(), nics, cpu, memory, disk, unit, port, spec != null, r.health());
    }

    private record Result(VmState state, String detail, Optional<Health> health) {
        Result(VmState state, String detail) {
            this(state, detail, Optional.empty());
        }
    }

    private Result state(ProjectLayout layout, String name, VmSpec spec, Optional<UnitStatus> unit, boolean systemdKnown,
            boolean instance, Optional<Integer> port, Options options) {
        if (!systemdKnown) {
            return instance ? new Result(VmState.UNKNOWN, "systemd not reachable") : new Result(VmState.NOT_CREATED, "");
        }
        ActiveState active = unit.map(UnitStatus::activeState).orElse(ActiveState.INACTIVE);
        return switch (active) {
            case FAILED -> new Result(VmState.FAILED, "unit failed (" + unit.map(UnitStatus::subState).orElse("") + ")");
            case INACTIVE -> !instance ? new Result(VmState.NOT_CREATED, "")
                    : java.nio.file.Files.isRegularFile(layout.savedState(name))
                            ? new Result(VmState.SUSPENDED, "state saved; `qemu-compose up` resumes it")
                            : new Result(VmState.STOPPED, "");
            case DEACTIVATING -> new Result(VmState.ACTIVE, "stopping");
            default -> running(layout, name, spec, port, options);
        };
    }

    private Result running(ProjectLayout layout, String name, VmSpec spec, Optional<Integer> port, Options options) {
        // QMP is a local socket: asking costs a millisecond, and a frozen guest would only time out over SSH
        if (GuestCpus.state(layout.reachableSocket(layout.qmpSocket(name)), QMP_TIMEOUT).orElse(RunState.RUNNING)
                == RunState.PAUSED) {
            return new Result(VmState.PAUSED, "CPUs frozen; `qemu-compose unpause` resumes them");
        }
        if (!options.probe()) {
            return new Result(VmState.ACTIVE, "probe skipped");
        }
        if (spec == null || port.isEmpty() || !Files.isRegularFile(layout.sshPrivateKey())) {
            return new Result(VmState.ACTIVE, "cannot probe (no SSH port or key)");
        }
        String user = DefaultUser.resolve(spec.image().location().toString(), spec.user());
        SshClient ssh = new SshClient(layout.knownHosts());
        try {
            SshClient.Target target = new SshClient.Target("127.0.0.1", port.get(), user, layout.sshPrivateKey());
            Readiness r = ssh.probeReady(target, options.probeTimeout());
            Optional<Healthcheck> check = spec.healthcheck();
            Optional<Health> starting = check.map(c -> Health.STARTING);
            return switch (r) {
                case Readiness.Ready ready -> check.map(c -> health(ssh, target, spec, c))
                        .orElseGet(() -> new Result(VmState.READY, ""));
                case Readiness.Provisioning p -> new Result(VmState.STARTING, "cloud-init " + p.status(), starting);
                case Readiness.ProvisioningFailed f -> new Result(VmState.FAILED, "cloud-init " + f.status());
                case Readiness.KeyRejected k -> withoutCloudInit(spec)
                        ? unreachable(spec, "key not accepted") : new Result(VmState.STARTING, "SSH key not accepted yet", starting);
                case Readiness.Unreachable u -> withoutCloudInit(spec)
                        ? unreachable(spec, "SSH not answering") : new Result(VmState.STARTING, "SSH not answering", starting);
            };
        } catch (SshHostKeyException e) {
            return new Result(VmState.UNKNOWN, "host key changed");
        } catch (RuntimeException e) {
            return new Result(VmState.UNKNOWN, String.valueOf(e.getMessage()));
        }
    }

    /** An image without cloud-init (the BSDs, Haiku, OmniOS): only its own boot scripts can take the key. */
    private static boolean withoutCloudInit(VmSpec spec) {
        return DeviceProfiles.of(spec.os(), spec.arch()).map(p -> !p.cloudInit()).orElse(false);
    }

    /**
     * Such a guest is never called "starting": nothing says it will ever let us in. The image takes
     * the project key from its key disk at boot only if it has the builder's key script (some
     * releases have none, docs/os-profiles.md), so a guest still booting and one that will never
     * accept the key look alike; ps says what it knows, that the VM runs, and why it cannot say more.
     */
    private static Result unreachable(VmSpec spec, String why) {
        return new Result(VmState.ACTIVE, "no SSH login as " + spec.user().orElse(VmSpec.RUNNER_USER)
                + " with the project key (" + why + "): a " + spec.os().id()
                + " image without cloud-init takes the key from keys.img at boot only if it has the builder's key"
                + " script, so booting and unreachable look alike");
    }

    /**
     * One run of the healthcheck with its own timeout: health is probed on demand, never stored,
     * so a VM's last verdict cannot outlive a reboot. Without a history of probes a failing test
     * reads as unhealthy at once (docker would wait for {@code retries} failures first).
     */
    private static Result health(SshClient ssh, SshClient.Target target, VmSpec spec, Healthcheck check) {
        HealthProbe.Outcome outcome = new HealthProbe(ssh).run(target, check, spec.environment());
        return outcome.passed() ? new Result(VmState.READY, "", Optional.of(Health.HEALTHY))
                : new Result(VmState.READY, "healthcheck: exit " + outcome.exitCode()
                        + (outcome.output().isEmpty() ? "" : ", " + outcome.output().lines().reduce((a, b) -> b).orElse("")),
                        Optional.of(Health.UNHEALTHY));
    }

    private static OptionalLong diskSize(Path overlay) {
        if (!Files.isRegularFile(overlay)) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(QcowHeader.read(overlay).virtualSize());
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }
}
