package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.cli.UserFacingException;
import io.qemucompose.plan.Plan;
import io.qemucompose.plan.PlanOptions;
import io.qemucompose.plan.PlanRenderer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code qemu-compose apply [PLANFILE]}: carry out the current plan, or exactly a saved one. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Make the VMs match the compose file: apply the current plan, or exactly a saved plan file.")
public final class ApplyCommand implements Callable<Integer> {

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Mixin
    private ScaleOption scale;

    @Parameters(paramLabel = "PLANFILE", arity = "0..1", description = "A plan saved with `plan --out`.")
    private Path planFile;

    @Option(names = "--dry-run", description = "Print the plan and the exact QEMU command lines and unit properties "
            + "that would be started; change nothing.")
    private boolean dryRun;

    @Option(names = {"-y", "--yes", "--auto-approve"}, description = "Do not ask for confirmation.")
    private boolean yes;

    @Option(names = "--remove-orphans", description = "Destroy VMs that are no longer in the compose file.")
    private boolean removeOrphans;

    public ApplyCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        try (Reconciling r = new Reconciling(env, project.loadFile(List.of(), scale.value()), dryRun)) {
            // like `up`, apply returns once the VMs it started answer (a saved plan's fingerprint
            // leaves waiting out, so plans from `plan --out` apply the same way)
            PlanOptions options = PlanOptions.running().withRemoveOrphans(removeOrphans).withWaitReady(true);
            Optional<String> fingerprint = Optional.empty();
            if (planFile != null) {
                Map<String, Object> saved = readPlan(env.cwd().resolve(planFile));
                try {
                    options = PlanRenderer.optionsFrom(saved).withWaitReady(true);
                } catch (RuntimeException e) {
                    throw new UserFacingException(planFile + ": " + e.getMessage(), e);
                }
                if (!r.project().name().equals(saved.get("project"))) {
                    throw new UserFacingException(planFile + " is a plan of project '" + saved.get("project")
                            + "', not of '" + r.project().name() + "'");
                }
                fingerprint = Optional.of(String.valueOf(saved.get("fingerprint")));
            }
            if (dryRun) {
                return DryRunOutput.print(r, options, env.out());
            }
            Plan plan = r.plan(options);
            if (fingerprint.isPresent() && !fingerprint.get().equals(plan.fingerprint())) {
                throw new UserFacingException("the saved plan " + planFile + " is stale: the compose file or the VMs "
                        + "changed since it was made; run `qemu-compose plan` again");
            }
            env.out().print(PlanRenderer.text(plan));
            if (!plan.hasChanges()) {
                return ExitCode.OK;
            }
            if (planFile == null && !yes && env.stdoutIsTerminal() && !confirm()) {
                env.err().println("Apply cancelled.");
                return ExitCode.ERROR;
            }
            env.out().println();
            int code = r.apply(options, Optional.of(plan.fingerprint()), Duration.ofMinutes(10));
            env.out().println(code == ExitCode.OK ? "Apply complete." : "Apply failed; run `qemu-compose plan` to see what is left.");
            return code;
        }
    }

    private Map<String, Object> readPlan(Path file) {
        try {
            return PlanRenderer.readJson(Files.readString(file));
        } catch (IOException e) {
            throw new UserFacingException("cannot read plan file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new UserFacingException(file + " is not a qemu-compose plan file: " + e.getMessage(), e);
        }
    }

    private boolean confirm() throws IOException {
        env.out().print("\nDo you want to perform these actions? Only 'yes' will be accepted: ");
        env.out().flush();
        String answer = new BufferedReader(new InputStreamReader(System.in)).readLine();
        return "yes".equals(answer == null ? null : answer.strip());
    }
}
