package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.plan.Intent;
import io.qemucompose.plan.Plan;
import io.qemucompose.plan.PlanOptions;
import io.qemucompose.plan.ResourceChange;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code qemu-compose stop}: graceful first (guest agent, ACPI, SSH poweroff), SIGTERM after the grace period. */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stop VMs, keeping their disks. Graceful first (guest agent, ACPI, SSH poweroff), then SIGTERM.")
public final class StopCommand implements Callable<Integer> {

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Parameters(paramLabel = "VM", arity = "0..*", description = "Only these VMs (default: all).")
    private List<String> vms = new ArrayList<>();

    @Option(names = {"-t", "--timeout"}, defaultValue = "60", paramLabel = "SECONDS",
            description = "Grace period before SIGTERM (default ${DEFAULT-VALUE} s).")
    private long timeout;

    @Option(names = "--force", description = "Skip the graceful steps: SIGTERM at once.")
    private boolean force;

    @Option(names = "--suspend", description = "Save each VM's RAM and device state next to its disk instead of"
            + " shutting it down; `up` or `start` resumes it in seconds (same as `suspend`).")
    private boolean suspend;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text (default) or json: one document with each VM's result, for scripts.")
    private InspectCommand.Format format;

    public StopCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        if (suspend) {
            return SuspendCommand.suspend(env, project, vms, format);
        }
        try (Reconciling r = new Reconciling(env, project.load(vms))) {
            PlanOptions options = PlanOptions.running().withIntent(Intent.STOPPED).withSelected(vms)
                    .withForceStop(force, Duration.ofSeconds(timeout));
            Plan plan = r.plan(options);
            // remembered before stopping, so a running watcher does not start them again
            io.qemucompose.watch.UserIntent.markStopped(new io.qemucompose.state.StateStore(r.reconciler().layout()),
                    vms.isEmpty() ? r.project().vms().keySet() : vms);
            boolean json = format == InspectCommand.Format.json;
            PrintWriter text = json ? env.err() : env.out();
            if (json) {
                r.progressOnStderr();
            }
            List<String> stopping = plan.vmChanges().stream().map(ResourceChange::name).toList();
            int code = ExitCode.OK;
            if (!plan.hasChanges()) {
                text.println("No VM is running.");
            } else {
                text.println("Stopping " + stopping.size() + " VM(s)...");
                code = r.apply(options, Optional.empty(), Duration.ZERO);
            }
            LifecycleOutput.report(env, LifecycleOutput.Verb.STOP, r, stopping, code, json);
            return code;
        }
    }
}
