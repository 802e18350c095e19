package io.qemucompose.cli.command;

import io.qemucompose.driver.Drivers;
import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.cli.UserFacingException;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.Replica;
import io.qemucompose.spec.NetworkSpec;
import io.qemucompose.status.GuestNic;
import io.qemucompose.status.VmState;
import io.qemucompose.status.VmStatus;
import io.qemucompose.status.VmStatusProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qemu-compose ps}: every VM of the compose file with its state, in file order. Unlike
 * {@code docker compose ps}, VMs that are stopped or not created are listed by default (as the
 * seed does): a VM is a long-lived thing whose absence is news. {@code -a} adds orphans.
 */
@Command(name = "ps", mixinStandardHelpOptions = true,
        description = "List the VMs and their state: not-created, stopped, starting, ready, active, paused, unknown, failed.")
public final class PsCommand implements Callable<Integer> {

    public enum Format { table, json }

    private static final Duration BETWEEN_ROUNDS = Duration.ofSeconds(1);

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Parameters(paramLabel = "VM", arity = "0..*", description = "Only these VMs.")
    private List<String> vms = new ArrayList<>();

    @Option(names = "--format", defaultValue = "table", description = "Output: ${COMPLETION-CANDIDATES}.")
    private Format format;

    @Option(names = {"-q", "--quiet"}, description = "Only the VM names.")
    private boolean quiet;

    @Option(names = {"-a", "--all"}, description = "Also list orphans (instances of VMs no longer in the compose file).")
    private boolean all;

    @Mixin
    private ProbeOptions probing;

    @Option(names = "--wait", description = "Wait until the VMs are ready (exit 3 when the deadline passes).")
    private boolean await;

    @Option(names = "--wait-timeout", defaultValue = "600", paramLabel = "SECONDS",
            description = "Deadline for --wait (default ${DEFAULT-VALUE} s).")
    private long waitTimeout;

    public PsCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        // the named VMs: enabled whatever their profiles, and found by name when `run` started them
        ComposeProject compose = project.load(vms);
        for (String vm : vms) {
            if (!compose.vms().containsKey(vm)) {
                throw new UserFacingException("no VM named '" + vm + "' in project " + compose.name());
            }
        }
        if (await && !probing.enabled()) {
            throw new UserFacingException("--wait needs the readiness probe; drop --no-probe", ExitCode.USAGE, null);
        }
        try (Drivers drivers = Drivers.forUser(env.env())) {
            VmStatusProbe probe = new VmStatusProbe(drivers);
            var options = new VmStatusProbe.Options(probing.enabled(), probing.timeout(), all, Set.copyOf(Replica.expand(compose.vms().values(), vms)));
            List<VmStatus> rows = probe.probe(compose, options);
            int code = ExitCode.OK;
            if (await) {
                WaitOutcome waited = waitReady(drivers, probe, compose, options, rows);
                rows = waited.rows();
                code = waited.code();
            }
            print(compose, rows);
            return code;
        }
    }

    private record WaitOutcome(List<VmStatus> rows, int code) {
    }

    /**
     * Probes again whenever a unit changes or a second passes, until every VM is ready, one can
     * no longer become ready (not created, stopped, failed), or the deadline passes.
     */
    private WaitOutcome waitReady(Drivers drivers, VmStatusProbe probe, ComposeProject compose,
            VmStatusProbe.Options options, List<VmStatus> first) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(waitTimeout).toNanos();
        Semaphore changed = new Semaphore(0);
        List<VmStatus> rows = first;
        try (AutoCloseable ignored = drivers.systemd().onUnitChange(u -> changed.release())) {
            while (true) {
                List<VmStatus> candidates = rows.stream().filter(VmStatus::inCompose).toList();
                if (candidates.stream().allMatch(r -> r.state() == VmState.READY)) {
                    return new WaitOutcome(rows, ExitCode.OK);
                }
                for (VmStatus r : candidates) {
                    // a paused VM is not among these: another shell may unpause it before the deadline
                    if (r.state() == VmState.NOT_CREATED || r.state() == VmState.STOPPED || r.state() == VmState.FAILED
                            || r.state() == VmState.SUSPENDED) {
                        env.err().println(r.name() + " is " + r.state() + ": it will not become ready without `qemu-compose up`");
                        return new WaitOutcome(rows, ExitCode.NOT_READY);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    env.err().println("Not all VMs became ready within " + waitTimeout + " s");
                    return new WaitOutcome(rows, ExitCode.NOT_READY);
                }
                changed.tryAcquire(Math.min(left, BETWEEN_ROUNDS.toNanos()), TimeUnit.NANOSECONDS);
                changed.drainPermits();
                rows = probe.probe(compose, options);
            }
        }
    }

    private void print(ComposeProject compose, List<VmStatus> rows) {
        if (quiet) {
            rows.forEach(r -> env.out().println(r.name()));
            return;
        }
        if (format == Format.json) {
            env.out().print(JsonOutput.write(rows.stream().map(PsCommand::json).toList()));
            return;
        }
        env.out().println("Using compose file: " + compose.files().getFirst());
        env.out().println("Project: " + compose.name());
        env.out().println();
        env.out().print(table(rows));
        // the seed's columns have no room for it: why a running VM is only "active" (e.g. a guest
        // without cloud-init that SSH does not let in) goes below the table
        if (probing.enabled()) {
            rows.stream().filter(r -> r.state() == VmState.ACTIVE && !r.detail().isEmpty())
                    .forEach(r -> env.out().println(r.name() + " is active: " + r.detail()));
        }
    }

    /** The seed's table: fixed columns, a dashed rule, one line per VM. */
    static String table(List<VmStatus> rows) {
        StringBuilder sb = new StringBuilder();
        // a health suffix ("ready (unhealthy)") widens STATUS; tables without one keep the seed's 15
        int status = Math.max(15, rows.stream().mapToInt(r -> r.statusLabel().length()).max().orElse(0));
        String fmt = "%-20s %-" + status + "s %-15s %-10s %-10s %-10s %s%n";
        sb.append(String.format(fmt, "NAME", "STATUS", "IP ADDRESS", "CPU", "MEMORY", "DISK", "SYSTEMD UNIT"));
        sb.append("-".repeat(110)).append('\n');
        for (VmStatus r : rows) {
            sb.append(String.format(fmt, r.name(), r.statusLabel(), r.ipAddress().orElse("-"),
                    r.inCompose() ? String.valueOf(r.cpu()) : "-",
                    r.inCompose() ? String.valueOf(r.memoryMb()) : "-",
                    r.diskBytes().isPresent() ? HumanSizes.compact(r.diskBytes().getAsLong()) : "-",
                    r.unit()));
        }
        return sb.toString();
    }

    static Map<String, Object> json(VmStatus r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("status", r.state().label());
        r.health().ifPresent(h -> m.put("health", h.label()));
        m.put("detail", r.detail());
        m.put("ip_address", r.ipAddress().orElse(null));
        m.put("cpu", r.inCompose() ? r.cpu() : null);
        m.put("memory_mb", r.inCompose() ? r.memoryMb() : null);
        m.put("disk_bytes", r.diskBytes().isPresent() ? r.diskBytes().getAsLong() : null);
        m.put("systemd_unit", r.unit());
        m.put("ssh_port", r.sshPort().orElse(null));
        m.put("orphan", !r.inCompose());
        m.put("networks", r.nics().stream().map(PsCommand::nic).toList());
        return m;
    }

    /** Every NIC in one shape: the user-mode one has its SSH forward, a bridge one its leased address. */
    static Map<String, Object> nic(GuestNic nic) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (nic) {
            case GuestNic.User u -> {
                m.put("name", "user");
                m.put("driver", "user");
                m.put("mac", u.mac());
                m.put("ip_address", null);
                m.put("ssh_forward", u.sshForward().orElse(null));
            }
            case GuestNic.Bridge b -> {
                m.put("name", b.network());
                m.put("driver", NetworkSpec.BRIDGE);
                m.put("mac", b.mac());
                m.put("ip_address", b.leased().orElse(null));
                m.put("ssh_forward", null);
            }
        }
        return m;
    }
}
