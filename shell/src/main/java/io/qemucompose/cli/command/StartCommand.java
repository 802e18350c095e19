package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.plan.PlanOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qemu-compose start}: docker compose's start, through the reconcile loop: intent running
 * for VMs that exist; a VM never created is refused by name (that is {@code up}'s job).
 */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Start existing VMs (never creates one: use `up` for that).")
public final class StartCommand implements Callable<Integer> {

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Parameters(paramLabel = "VM", arity = "0..*", description = "Only these VMs (default: all).")
    private List<String> vms = new ArrayList<>();

    @Option(names = "--wait", description = "Wait until the VMs are ready (SSH answers, cloud-init done).")
    private boolean await;

    @Option(names = "--wait-timeout", defaultValue = "600", paramLabel = "SECONDS",
            description = "Deadline for --wait (default ${DEFAULT-VALUE} s); exit 3 when exceeded.")
    private long waitTimeout;

    public StartCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        try (Reconciling r = new Reconciling(env, project.load(vms))) {
            PlanOptions options = PlanOptions.running().withSelected(vms).withExistingOnly(true).withWaitReady(await);
            return VmCycle.run(env, r, options, "Starting", "started", "No VM to start: they all run.", waitTimeout);
        }
    }
}
