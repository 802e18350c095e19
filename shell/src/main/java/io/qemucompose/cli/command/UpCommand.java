package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.cli.UserFacingException;
import io.qemucompose.driver.cloudinit.DefaultUser;
import io.qemucompose.plan.Plan;
import io.qemucompose.plan.PlanOptions;
import io.qemucompose.plan.PullPolicy;
import io.qemucompose.plan.ResourceChange;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.Names;
import io.qemucompose.spec.VmSpec;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.ProjectState;
import io.qemucompose.state.StateStore;
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

/** {@code qemu-compose up}: plan + apply + wait until the VMs are ready. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Create and start VMs, and wait until they are ready (SSH answers, cloud-init done).")
public final class UpCommand implements Callable<Integer> {

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Mixin
    private ScaleOption scale;

    @Parameters(paramLabel = "VM", arity = "0..*", description = "Only these VMs (and what they depend on).")
    private List<String> vms = new ArrayList<>();

    @Option(names = "--no-wait", description = "Do not wait for readiness.")
    private boolean noWait;

    @Option(names = "--wait", description = "Wait until the VMs are ready and, with a healthcheck, healthy "
            + "(docker compose's flag; this is the default).")
    private boolean waitFlag;

    @Option(names = "--wait-timeout", defaultValue = "600", paramLabel = "SECONDS",
            description = "How long to wait for readiness (default ${DEFAULT-VALUE} s); exit 3 when exceeded.")
    private long waitTimeout;

    @Option(names = "--dry-run", description = "Print the plan and the exact QEMU command lines and unit properties "
            + "that would be started; change nothing.")
    private boolean dryRun;

    @Option(names = "--remove-orphans", description = "Destroy VMs that are no longer in the compose file.")
    private boolean removeOrphans;

    @Option(names = "--pull", defaultValue = "missing", paramLabel = "POLICY",
            description = "Pull base images: always (download again unless a VM's disk rests on it), "
                    + "missing (default) or never (refuse a VM whose image is not cached).")
    private String pull;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text (default) or json: one document with each VM's result, for scripts.")
    private InspectCommand.Format format;

    @Option(names = "--watch", description = "Then keep the VMs matching the file, as `watch` does (Ctrl-C ends it).")
    private boolean watch;

    @Option(names = {"-d", "--detach"}, description = "With --watch: run the watcher as the background reconciler unit.")
    private boolean detach;

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec commandSpec;

    public UpCommand(CommandEnvironment env) {
        this.env = env;
    }

    static PullPolicy pullPolicy(String policy) {
        try {
            return PullPolicy.parse(policy);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(e.getMessage(), ExitCode.USAGE, null);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (waitFlag && noWait) {
            throw new UserFacingException("--wait and --no-wait exclude each other", ExitCode.USAGE, null);
        }
        if (detach && !watch) {
            throw new UserFacingException("--detach goes with --watch (up itself always returns once the VMs are ready)",
                    ExitCode.USAGE, null);
        }
        int code = upOnce();
        if (!watch || code == ExitCode.USAGE) {
            return code;
        }
        Watching watching = new Watching(env, project.loadFile(vms, scale.value()),
                ((io.qemucompose.cli.GlobalOptions) commandSpec.root().userObject()).projectName(),
                ((io.qemucompose.cli.GlobalOptions) commandSpec.root().userObject()).profiles(), removeOrphans, 30);
        return watching.start(detach);
    }

    private int upOnce() throws Exception {
        ComposeProject compose = project.loadFile(vms, scale.value());
        boolean json = format == InspectCommand.Format.json;
        // with --format json, stdout carries the one document; everything else goes to stderr
        PrintWriter text = json ? env.err() : env.out();
        text.println("Using compose file: " + compose.files().getFirst());
        text.println("Project: " + compose.name());
        try (Reconciling r = new Reconciling(env, compose, dryRun)) {
            if (json) {
                r.progressOnStderr();
            }
            PlanOptions options = PlanOptions.running().withSelected(vms).withRemoveOrphans(removeOrphans)
                    .withPull(pullPolicy(pull)).withWaitReady(!noWait);
            if (dryRun) {
                return DryRunOutput.print(r, options, text);
            }
            Plan plan = r.plan(options);
            List<String> starting = plan.vmChanges().stream()
                    .filter(c -> c.kind() != ResourceChange.Kind.ORPHAN && c.kind() != ResourceChange.Kind.DESTROY)
                    .map(ResourceChange::name).toList();
            for (ResourceChange orphan : plan.vmChanges()) {
                if (orphan.kind() == ResourceChange.Kind.ORPHAN) {
                    env.err().println("Warning: VM " + orphan.name() + " is orphaned (not in the compose file); "
                            + "run `up --remove-orphans` to destroy it");
                }
            }
            LifecycleOutput output = new LifecycleOutput(env.stdoutIsTerminal());
            if (plan.actions().isEmpty()) {
                text.println("All VMs are up to date.");
                if (json) {
                    env.out().print(JsonOutput.write(LifecycleOutput.json(LifecycleOutput.Verb.UP, compose.name(),
                            ExitCode.OK, List.of())));
                }
                return ExitCode.OK;
            }
            text.println(plan.hasChanges() ? "Starting " + starting.size() + " VM(s)..."
                    : "All VMs are up to date; waiting until they are ready...");
            int code = r.apply(options, Optional.empty(), Duration.ofSeconds(waitTimeout));
            List<LifecycleOutput.VmOutcome> outcomes = starting.stream().filter(compose.vms()::containsKey)
                    .map(name -> new LifecycleOutput.VmOutcome(name, Names.unitName(compose.name(), name),
                            LifecycleOutput.errorOf(name, r.lastResult()))).toList();
            if (json) {
                env.out().print(JsonOutput.write(LifecycleOutput.json(LifecycleOutput.Verb.UP, compose.name(), code,
                        outcomes)));
                return code;
            }
            summary(compose, outcomes, output);
            switch (code) {
                case ExitCode.OK -> env.out().println(output.summary(LifecycleOutput.Verb.UP, true));
                case ExitCode.NOT_READY -> env.err().println(output.mark(false) + " Not all VMs became ready within "
                        + waitTimeout + " s");
                default -> env.err().println(output.mark(false) + " Some VMs could not be started; run "
                        + "`qemu-compose plan` to see what is left");
            }
            return code;
        }
    }

    private void summary(ComposeProject compose, List<LifecycleOutput.VmOutcome> outcomes, LifecycleOutput output) {
        ProjectLayout layout = new ProjectLayout(compose.projectDir());
        ProjectState state = new StateStore(layout).read();
        for (LifecycleOutput.VmOutcome outcome : outcomes) {
            String name = outcome.name();
            VmSpec vm = compose.vms().get(name);
            List<String> extra = new ArrayList<>();
            Optional<Integer> port = state.vm(name).map(ProjectState.VmRecord::sshPort);
            String user = DefaultUser.resolve(vm.image().location().toString(), vm.user());
            if (vm.networks().isEmpty()) {
                extra.add("Networking: user-mode" + port.map(p -> " (SSH on 127.0.0.1:" + p + ")").orElse(""));
                port.ifPresent(p -> extra.add("SSH: qemu-compose ssh " + name + "   (or: ssh -i "
                        + compose.projectDir().relativize(layout.sshPrivateKey()) + " -p " + p + " " + user + "@127.0.0.1)"));
            } else {
                extra.add("Networking: bridge mode (networks: " + String.join(", ", vm.networks()) + ")");
            }
            extra.add("View logs: qemu-compose logs " + name);
            extra.add("Attach to console: qemu-compose console " + name);
            env.out().println();
            env.out().print(output.vmBlock(LifecycleOutput.Verb.UP, outcome, extra));
        }
        env.out().println();
    }
}
