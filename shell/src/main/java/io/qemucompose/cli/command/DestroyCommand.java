package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.cli.RunProjects;
import io.qemucompose.plan.Intent;
import io.qemucompose.plan.Plan;
import io.qemucompose.plan.PlanOptions;
import io.qemucompose.plan.ResourceChange;
import io.qemucompose.state.ProjectLayout;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code qemu-compose destroy}: stop at once and remove instance disks and seeds; volumes and base images stay. */
@Command(name = "destroy", aliases = "down", mixinStandardHelpOptions = true,
        description = "Stop VMs and remove their instance disks and seeds (named volumes and cached images are kept).")
public final class DestroyCommand implements Callable<Integer> {

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Parameters(paramLabel = "VM", arity = "0..*", description = "Only these VMs (default: all, orphans included).")
    private List<String> vms = new ArrayList<>();

    @Option(names = {"-v", "--volumes"},
            description = "Also remove the named volumes declared in the file (not those a running VM still uses).")
    private boolean volumes;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text (default) or json: one document with each VM's result, for scripts.")
    private InspectCommand.Format format;

    public DestroyCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        try (Reconciling r = new Reconciling(env, project.load(vms))) {
            PlanOptions options = PlanOptions.running().withIntent(Intent.ABSENT).withSelected(vms)
                    .withForceStop(true, Duration.ofSeconds(10));
            Plan plan = r.plan(options);
            boolean json = format == InspectCommand.Format.json;
            PrintWriter text = json ? env.err() : env.out();
            if (json) {
                r.progressOnStderr();
            }
            List<String> removing = plan.vmChanges().stream().map(ResourceChange::name).toList();
            int code = ExitCode.OK;
            if (!plan.hasChanges()) {
                text.println("Nothing to destroy.");
            } else {
                text.println("Stopping and removing " + plan.vmChanges().stream()
                        .filter(c -> c.kind() == io.qemucompose.plan.ResourceChange.Kind.DESTROY).count() + " VM(s)...");
                code = r.apply(options, Optional.empty(), Duration.ZERO);
            }
            if (!json) {
                LifecycleOutput.report(env, LifecycleOutput.Verb.DESTROY, r, removing, code, false);
            }
            Path projectDir = r.project().projectDir();
            if (code == ExitCode.OK && RunProjects.isRunProject(env.env(), projectDir)
                    && new ProjectLayout(projectDir).instanceNames().isEmpty()) {
                // a one-off project of `run` whose VM is gone has nothing left worth keeping
                RunProjects.remove(projectDir);
                text.println("Removed the one-off project " + projectDir + ".");
            }
            if (volumes) {
                CommandEnvironment volumeOutput = json
                        ? new CommandEnvironment(env.err(), env.err(), env.env(), env.cwd(), false) : env;
                code = Math.max(code, DestroyVolumes.remove(volumeOutput, r.project(), r.drivers()));
            }
            if (json) {
                LifecycleOutput.report(env, LifecycleOutput.Verb.DESTROY, r, removing, code, true);
            }
            return code;
        }
    }
}
