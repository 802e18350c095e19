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

/**
 * {@code qemu-compose suspend} (= {@code stop --suspend}): each running VM's RAM and device state
 * is saved next to its disk and its unit ends; {@code up}/{@code start} resume it, {@code ps}
 * shows {@code suspended}, {@code watch} leaves it alone. Details: docs/snapshots.md.
 */
@Command(name = "suspend", mixinStandardHelpOptions = true,
        description = "Save running VMs' RAM and device state next to their disks and stop them; `up` resumes them.")
public final class SuspendCommand implements Callable<Integer> {

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Parameters(paramLabel = "VM", arity = "0..*", description = "Only these VMs (default: all running).")
    private List<String> vms = new ArrayList<>();

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text (default) or json: one document with each VM's result, for scripts.")
    private InspectCommand.Format format;

    public SuspendCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        return suspend(env, project, vms, format);
    }

    static int suspend(CommandEnvironment env, ProjectLoading project, List<String> vms, InspectCommand.Format format)
            throws Exception {
        try (Reconciling r = new Reconciling(env, project.load(vms))) {
            PlanOptions options = PlanOptions.running().withIntent(Intent.SUSPENDED).withSelected(vms);
            Plan plan = r.plan(options);
            boolean json = format == InspectCommand.Format.json;
            PrintWriter text = json ? env.err() : env.out();
            if (json) {
                r.progressOnStderr();
            }
            List<String> suspending = plan.vmChanges().stream().map(ResourceChange::name).toList();
            int code = ExitCode.OK;
            if (!plan.hasChanges()) {
                text.println("No VM is running.");
            } else {
                text.println("Suspending " + suspending.size() + " VM(s)...");
                code = r.apply(options, Optional.empty(), Duration.ZERO);
            }
            LifecycleOutput.report(env, LifecycleOutput.Verb.SUSPEND, r, suspending, code, json);
            return code;
        }
    }
}
