package io.qemucompose.cli.command;

import io.qemucompose.apply.LaunchPreview;
import io.qemucompose.apply.Reconciler;
import io.qemucompose.cli.UserFacingException;
import io.qemucompose.plan.PlanOptions;
import io.qemucompose.plan.PlanRefusedException;
import io.qemucompose.plan.PlanRenderer;
import java.io.PrintWriter;

/** {@code up --dry-run}, {@code apply --dry-run}, {@code run --dry-run}: the plan and what each start would run. */
final class DryRunOutput {

    private DryRunOutput() {
    }

    static int print(Reconciling r, PlanOptions options, PrintWriter out) {
        Reconciler.DryRun dry;
        try {
            dry = r.reconciler().dryRun(options);
        } catch (PlanRefusedException e) {
            throw new UserFacingException("refused: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(e.getMessage(), e);
        }
        out.print(PlanRenderer.text(dry.plan()));
        for (LaunchPreview launch : dry.launches()) {
            out.println();
            out.println("# VM " + launch.vm() + " (profile " + launch.profile() + "): QEMU command line");
            launch.sshPortNote().ifPresent(n -> out.println("# note: " + n));
            out.print(launch.commandText());
            out.println("# systemd --user transient unit");
            launch.unitProperties().forEach(out::println);
        }
        out.println();
        out.println("Dry run: nothing was changed.");
        return 0;
    }
}
