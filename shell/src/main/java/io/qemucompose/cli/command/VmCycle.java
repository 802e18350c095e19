package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.plan.Plan;
import io.qemucompose.plan.PlanOptions;
import java.time.Duration;
import java.util.Optional;

/** What start and restart share: plan, say what will happen, apply, say how it went. */
final class VmCycle {

    private VmCycle() {}

    static int run(CommandEnvironment env, Reconciling r, PlanOptions options, String doing, String done,
            String nothing, long waitTimeout) throws InterruptedException {
        Plan plan = r.plan(options);
        if (plan.vmChanges().isEmpty()) {
            env.out().println(nothing);
            return ExitCode.OK;
        }
        env.out().println(doing + " " + plan.vmChanges().size() + " VM(s)...");
        int code = r.apply(options, Optional.empty(), Duration.ofSeconds(waitTimeout));
        env.out().println(code == ExitCode.OK ? "✓ VMs " + done : "✗ Some VMs could not be " + done);
        return code;
    }
}
