package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.driver.Drivers;
import io.qemucompose.driver.systemd.UnitManager;
import io.qemucompose.driver.systemd.UnitStatus;
import io.qemucompose.spec.ComposeProject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code qemu-compose wait}: blocks until the VMs' units stop, woken by systemd's signals (no
 * polling), and exits 0 when every one ended with success, 1 otherwise (killed, crashed).
 */
@Command(name = "wait", mixinStandardHelpOptions = true,
        description = "Block until the VMs stop; exit 0 when all ended with success, 1 otherwise.")
public final class WaitCommand implements Callable<Integer> {

    /** A wait has no deadline of its own; Ctrl-C ends it. */
    private static final Duration FOREVER = Duration.ofDays(36500);

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Parameters(paramLabel = "VM", arity = "0..*", description = "Only these VMs (default: all).")
    private List<String> vms = new ArrayList<>();

    public WaitCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        ComposeProject compose = project.load(vms);
        List<String> selected = VmSelection.of(compose, vms);
        try (Drivers drivers = Drivers.forUser(env.env());
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            UnitManager systemd = drivers.systemd();
            List<Future<UnitEnd>> ends = new ArrayList<>();
            for (String vm : selected) {
                String unit = VmSelection.unit(compose, vm);
                ends.add(pool.submit(() -> {
                    boolean wasRunning = !systemd.unit(unit).isStopped();
                    UnitStatus stopped = systemd.awaitState(unit, UnitStatus::isStopped, FOREVER);
                    UnitEnd end = UnitEnd.of(vm, stopped, systemd.lastResult(unit), wasRunning);
                    synchronized (env) {
                        env.out().println(end.line());
                        env.out().flush();
                    }
                    return end;
                }));
            }
            int code = ExitCode.OK;
            for (Future<UnitEnd> end : ends) {
                try {
                    code = Math.max(code, end.get().exitCode());
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
            return code;
        }
    }
}
