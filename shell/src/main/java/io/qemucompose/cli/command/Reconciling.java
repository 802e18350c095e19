package io.qemucompose.cli.command;

import io.qemucompose.driver.Drivers;
import io.qemucompose.apply.GraphExecutor;
import io.qemucompose.apply.Reconciler;
import io.qemucompose.apply.StalePlanException;
import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.UserFacingException;
import io.qemucompose.plan.Action;
import io.qemucompose.plan.Plan;
import io.qemucompose.plan.PlanOptions;
import io.qemucompose.plan.PlanRefusedException;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.state.ProjectLockedException;
import java.time.Duration;
import java.util.Optional;

/**
 * What plan, apply, up, stop and destroy share: the real drivers, turning reconciler failures into
 * one clear line each, and progress output while actions run.
 */
final class Reconciling implements AutoCloseable {

    private final CommandEnvironment env;
    private final ComposeProject project;
    private final Drivers drivers;
    private final Reconciler reconciler;
    private Optional<Reconciler.Result> last = Optional.empty();
    private boolean progressOnStderr;

    Reconciling(CommandEnvironment env, ComposeProject project) {
        this(env, project, false);
    }

    /** @param dryRun short image names only as recorded: no network, nothing written */
    Reconciling(CommandEnvironment env, ComposeProject project, boolean dryRun) {
        this.env = env;
        try {
            // short image names resolve once and are recorded; `pull` resolves them again
            this.project = dryRun ? io.qemucompose.apply.ReleaseImages.recorded(project)
                    : io.qemucompose.apply.ReleaseImages.resolve(project,
                            io.qemucompose.driver.image.ReleaseResolver.fromEnvironment(env.env()), false);
        } catch (io.qemucompose.driver.image.ImagePullException e) {
            throw new UserFacingException(e.getMessage(), e);
        }
        this.drivers = Drivers.forUser(env.env());
        this.reconciler = new Reconciler(this.project, drivers);
    }

    Drivers drivers() {
        return drivers;
    }

    Reconciler reconciler() {
        return reconciler;
    }

    Plan plan(PlanOptions options) {
        try {
            return reconciler.plan(options);
        } catch (PlanRefusedException e) {
            throw new UserFacingException("refused: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(e.getMessage(), e);
        }
    }

    /** Applies and prints progress; returns the exit code (0, 1, or 3 when only readiness failed). */
    int apply(PlanOptions options, Optional<String> fingerprint, Duration readyTimeout) throws InterruptedException {
        Reconciler.Result result;
        try {
            result = reconciler.apply(options, fingerprint, readyTimeout,
                    line -> (progressOnStderr ? env.err() : env.out()).println("  " + line),
                    new Reconciler.Listener() {
                        @Override
                        public void finished(io.qemucompose.apply.ActionGraph.Node<Action> node,
                                GraphExecutor.Outcome outcome) {
                            switch (outcome) {
                                case GraphExecutor.Outcome.Failed f -> env.err().println("  ✗ " + node.payload().describe()
                                        + ": " + firstLine(f.error()));
                                case GraphExecutor.Outcome.Skipped s -> env.err().println("  - " + node.payload().describe()
                                        + ": skipped (" + s.becauseOf() + " failed)");
                                case GraphExecutor.Outcome.Succeeded ok -> { }
                            }
                        }
                    });
        } catch (PlanRefusedException e) {
            throw new UserFacingException("refused: " + e.getMessage(), e);
        } catch (StalePlanException | ProjectLockedException e) {
            throw new UserFacingException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(e.getMessage(), e);
        }
        last = Optional.of(result);
        if (result.succeeded()) {
            return ExitCode.OK;
        }
        boolean onlyReadiness = result.report().outcomes().values().stream()
                .filter(o -> o instanceof GraphExecutor.Outcome.Failed)
                .allMatch(o -> ((GraphExecutor.Outcome.Failed) o).error()
                        instanceof io.qemucompose.apply.VmNotReadyException);
        return onlyReadiness ? ExitCode.NOT_READY : ExitCode.ERROR;
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m;
    }

    /** What the last {@link #apply} did, per action. */
    Optional<Reconciler.Result> lastResult() {
        return last;
    }

    /** Progress lines go to stderr, so stdout carries only a {@code --format json} document. */
    void progressOnStderr() {
        progressOnStderr = true;
    }

    ComposeProject project() {
        return project;
    }

    @Override
    public void close() {
        drivers.close();
    }
}
