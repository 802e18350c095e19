package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.driver.Drivers;
import io.qemucompose.driver.systemd.SystemdException;
import io.qemucompose.spec.ComposeProject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qemu-compose kill}: a signal to QEMU through systemd (KillUnit), SIGKILL by default; no
 * guest shutdown. After SIGKILL the unit is failed, and {@code up} starts the VM on its disk again.
 */
@Command(name = "kill", mixinStandardHelpOptions = true,
        description = "Send a signal to the VMs' QEMU (default SIGKILL: the guest dies at once, its disk is kept).")
public final class KillCommand implements Callable<Integer> {

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Parameters(paramLabel = "VM", arity = "0..*", description = "Only these VMs (default: all running).")
    private List<String> vms = new ArrayList<>();

    @Option(names = {"-s", "--signal"}, defaultValue = "SIGKILL", paramLabel = "SIGNAL",
            description = "The signal: a name (KILL, SIGTERM, INT…) or a number (default ${DEFAULT-VALUE}).")
    private String signal;

    public KillCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        Signal sig = Signal.parse(signal);
        ComposeProject compose = project.load(vms);
        List<String> selected = VmSelection.of(compose, vms);
        int code = ExitCode.OK;
        try (Drivers drivers = Drivers.forUser(env.env())) {
            List<String> notRunning = new ArrayList<>();
            List<String> running = VmSelection.running(compose, selected, drivers.systemd(), notRunning);
            if (!vms.isEmpty()) {
                for (String vm : notRunning) {
                    env.err().println("qemu-compose: " + vm + " is not running");
                    code = ExitCode.ERROR;
                }
            }
            if (running.isEmpty() && vms.isEmpty()) {
                env.out().println("No VM is running.");
            }
            for (String vm : running) {
                try {
                    // QEMU is the unit's main process; helpers it forks (none today) are not its to signal
                    drivers.systemd().killUnit(VmSelection.unit(compose, vm), "main", sig.number());
                    env.out().println("Sent " + sig.name() + " to " + vm);
                } catch (SystemdException e) {
                    env.err().println("qemu-compose: " + vm + ": " + e.getMessage());
                    code = ExitCode.ERROR;
                }
            }
        }
        return code;
    }
}
