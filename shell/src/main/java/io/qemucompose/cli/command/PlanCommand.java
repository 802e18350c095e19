package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.cli.UserFacingException;
import io.qemucompose.plan.Plan;
import io.qemucompose.plan.PlanOptions;
import io.qemucompose.plan.PlanRenderer;
import io.qemucompose.state.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code qemu-compose plan}: what {@code apply} would change, Terraform style. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Show what `apply` would change to make the VMs match the compose file.")
public final class PlanCommand implements Callable<Integer> {

    public enum Format { text, json }

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Mixin
    private ScaleOption scale;

    @Parameters(paramLabel = "VM", arity = "0..*", description = "Only these VMs (and what they depend on).")
    private List<String> vms = new ArrayList<>();

    @Option(names = "--format", defaultValue = "text", description = "Output: ${COMPLETION-CANDIDATES}.")
    private Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "Save the plan for `apply FILE`.")
    private Path out;

    @Option(names = "--detailed-exitcode", description = "Exit 0 when there is nothing to do, 2 when there are changes.")
    private boolean detailedExitcode;

    @Option(names = "--remove-orphans", description = "Destroy VMs that are no longer in the compose file.")
    private boolean removeOrphans;

    @Option(names = "--pull", defaultValue = "missing", paramLabel = "POLICY",
            description = "Pull base images: always, missing (default) or never.")
    private String pull;

    public PlanCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        try (Reconciling r = new Reconciling(env, project.loadFile(vms, scale.value()))) {
            PlanOptions options = PlanOptions.running().withSelected(vms).withRemoveOrphans(removeOrphans)
                    .withPull(UpCommand.pullPolicy(pull));
            Plan plan = r.plan(options);
            env.out().print(format == Format.json ? PlanRenderer.json(plan) : PlanRenderer.text(plan));
            if (out != null) {
                Path file = env.cwd().resolve(out);
                AtomicFiles.write(file, PlanRenderer.json(plan).getBytes(StandardCharsets.UTF_8));
                if (format == Format.text) {
                    env.out().println();
                    env.out().println("Saved the plan to " + file + "; run `qemu-compose apply " + out + "` to apply exactly it.");
                }
            }
            if (detailedExitcode && plan.hasChanges()) {
                return 2;
            }
            return ExitCode.OK;
        } catch (java.io.UncheckedIOException e) {
            throw new UserFacingException(e.getMessage(), e);
        }
    }
}
