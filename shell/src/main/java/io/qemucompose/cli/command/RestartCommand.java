package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.plan.PlanOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qemu-compose restart}: a plan whose running VMs are {@code ~ restart} (stop, then start,
 * the disk kept); stopped ones are started. Like {@code start}, it never creates or replaces a VM.
 */
@Command(name = "restart", mixinStandardHelpOptions = true,
        description = "Restart existing VMs: graceful stop, then start; the disks are kept.")
public final class RestartCommand implements Callable<Integer> {

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Parameters(paramLabel = "VM", arity = "0..*", description = "Only these VMs (default: all).")
    private List<String> vms = new ArrayList<>();

    @Option(names = {"-t", "--timeout"}, defaultValue = "60", paramLabel = "SECONDS",
            description = "Grace period of the stop before SIGTERM (default ${DEFAULT-VALUE} s).")
    private long timeout;

    @Option(names = "--wait", description = "Wait until the VMs are ready again.")
    private boolean await;

    @Option(names = "--wait-timeout", defaultValue = "600", paramLabel = "SECONDS",
            description = "Deadline for --wait (default ${DEFAULT-VALUE} s); exit 3 when exceeded.")
    private long waitTimeout;

    public RestartCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        try (Reconciling r = new Reconciling(env, project.load(vms))) {
            PlanOptions options = PlanOptions.running().withSelected(vms).withRestartRunning(true)
                    .withForceStop(false, Duration.ofSeconds(timeout)).withWaitReady(await);
            return VmCycle.run(env, r, options, "Restarting", "restarted", "No VM to restart.", waitTimeout);
        }
    }
}
