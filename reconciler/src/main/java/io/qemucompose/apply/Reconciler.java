package io.qemucompose.apply;

import io.qemucompose.driver.Drivers;
import io.qemucompose.desired.DesiredState;
import io.qemucompose.desired.DesiredStates;
import io.qemucompose.driver.network.CapNetAdmin;
import io.qemucompose.observe.ObservedNetwork;
import io.qemucompose.observe.ObservedWorld;
import io.qemucompose.observe.WorldObserver;
import io.qemucompose.plan.Action;
import io.qemucompose.plan.ActionId;
import io.qemucompose.plan.Plan;
import io.qemucompose.plan.PlanOptions;
import io.qemucompose.plan.PlanRefusedException;
import io.qemucompose.plan.Planner;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.ProjectLock;
import io.qemucompose.state.StateStore;
import io.qemucompose.status.NetworkUsers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The reconcile loop for one project: observe → diff → plan, and apply = plan under the project
 * lock, run the action DAG, observe again. {@code up}, {@code apply}, {@code stop}, {@code destroy}
 * (and later {@code watch}) are this loop with different {@link PlanOptions}.
 */
public final class Reconciler {

    private final ComposeProject project;
    private final Drivers drivers;
    private final ProjectLayout layout;
    private final StateStore state;

    public Reconciler(ComposeProject project, Drivers drivers) {
        this.project = project;
        this.drivers = drivers;
        this.layout = new ProjectLayout(project.projectDir());
        this.state = new StateStore(layout);
    }

    public ProjectLayout layout() {
        return layout;
    }

    public Plan plan(PlanOptions options) throws PlanRefusedException {
        DesiredState desired = desired();
        ObservedWorld world = new WorldObserver(drivers).observe(project);
        Plan plan = Planner.plan(desired, world, options);
        BindMountCheck.check(desired, plan);
        return plan;
    }

    /**
     * {@code --dry-run}: the plan, and for each VM it would start the exact QEMU command line and
     * unit properties. Reads the world, changes nothing (no lock, no lease, no file written).
     */
    public DryRun dryRun(PlanOptions options) throws PlanRefusedException {
        Plan plan = plan(options);
        ApplyContext ctx = new ApplyContext(project, desired(), layout, state, drivers, line -> { }, Duration.ZERO);
        return new DryRun(plan, LaunchPreview.of(ctx, plan));
    }

    public record DryRun(Plan plan, java.util.List<LaunchPreview> launches) {}

    /** The file's desired state, each VM's cloud-init field taken from the seed it would get now. */
    DesiredState desired() {
        return DesiredStates.of(project, VmSeeds.instanceIds(project, layout, drivers.seedRenderer(),
                vm -> VmNics.seedNics(project, vm)));
    }

    /** What happened, and whether the world matched the file afterwards. */
    public record Result(Plan plan, GraphExecutor.Report report, Plan after) {
        public boolean succeeded() {
            return report.allSucceeded();
        }

        public boolean converged() {
            return after.actions().stream().allMatch(a -> a instanceof Action.AwaitReady);
        }
    }

    /** Sees each action start and finish, e.g. to print progress. */
    public interface Listener extends GraphExecutor.Listener<Action> {}

    /**
     * Plans again under the project lock and carries the plan out. The final readiness waits run
     * after the lock is released: they change nothing, and a VM may take minutes to boot, during
     * which another command on the project (a second {@code up}, {@code ps}) should not be locked out.
     *
     * @param expectedFingerprint a saved plan's fingerprint: refuse when the fresh plan differs
     */
    public Result apply(PlanOptions options, Optional<String> expectedFingerprint, Duration readyTimeout,
            Consumer<String> progress, Listener listener)
            throws PlanRefusedException, StalePlanException, InterruptedException {
        Plan plan;
        ActionRunner runner;
        Map<String, GraphExecutor.Outcome> outcomes = new LinkedHashMap<>();
        List<Action> finalWaits = new ArrayList<>();
        try (ProjectLock.Held ignored = state.lock()) {
            plan = plan(options);
            if (expectedFingerprint.isPresent() && !expectedFingerprint.get().equals(plan.fingerprint())) {
                throw new StalePlanException("the saved plan is stale: the compose file or the VMs changed since it "
                        + "was made; run `qemu-compose plan` again");
            }
            ApplyContext ctx = new ApplyContext(project, desired(), layout, state, drivers, progress, readyTimeout);
            runner = new ActionRunner(ctx);
            Set<ActionId> dependedOn = new HashSet<>();
            plan.actions().forEach(a -> dependedOn.addAll(a.dependsOn()));
            ActionGraph<Action> graph = new ActionGraph<>();
            plan.satisfied().forEach(id -> graph.declareDone(id.toString()));
            for (Action a : plan.actions()) {
                if (a instanceof Action.AwaitReady && !dependedOn.contains(a.id())) {
                    finalWaits.add(a);
                } else {
                    graph.add(a.id().toString(), a, ids(a.dependsOn()));
                }
            }
            outcomes.putAll(new GraphExecutor().execute(graph, runner::run, listener).outcomes());
        }
        ActionGraph<Action> waits = new ActionGraph<>();
        plan.satisfied().forEach(id -> waits.declareDone(id.toString()));
        outcomes.keySet().forEach(waits::declareDone);
        for (Action a : finalWaits) {
            Optional<String> failedDep = ids(a.dependsOn()).stream()
                    .filter(d -> outcomes.containsKey(d) && !(outcomes.get(d) instanceof GraphExecutor.Outcome.Succeeded))
                    .findFirst();
            if (failedDep.isPresent()) {
                GraphExecutor.Outcome skipped = new GraphExecutor.Outcome.Skipped(failedDep.get());
                outcomes.put(a.id().toString(), skipped);
                listener.finished(new ActionGraph.Node<>(a.id().toString(), a, ids(a.dependsOn())), skipped);
            } else {
                waits.add(a.id().toString(), a, ids(a.dependsOn()));
            }
        }
        outcomes.putAll(new GraphExecutor().execute(waits, runner::run, listener).outcomes());
        Map<String, GraphExecutor.Outcome> ordered = new LinkedHashMap<>();
        plan.actions().forEach(a -> ordered.put(a.id().toString(), outcomes.get(a.id().toString())));
        Plan after = plan(options.withWaitReady(false));
        return new Result(plan, new GraphExecutor.Report(ordered), after);
    }

    /**
     * {@code network rm}: under the project lock, removes one network (its dnsmasq unit, bridge,
     * subnet allocation and files) with the same {@link Action.RemoveNetwork} that {@code destroy}
     * runs. A network of the file comes back with the next {@code up}.
     *
     * @return false when nothing of the network exists
     * @throws NetworkInUseException when a running VM is attached to it (by the file or by what it was started with)
     * @throws CapNetAdmin.MissingCapabilityException when this process may not delete bridges
     */
    public boolean removeNetwork(String network, Consumer<String> progress) throws InterruptedException {
        try (ProjectLock.Held ignored = state.lock()) {
            WorldObserver observer = new WorldObserver(drivers);
            WorldObserver.Instances world = observer.instances(project, false);
            ObservedNetwork observed = observer.networks(project, layout).get(network);
            if (observed == null || !observed.exists()) {
                return false;
            }
            List<String> running = NetworkUsers.running(project, world, network);
            if (!running.isEmpty()) {
                throw new NetworkInUseException("network " + network + " is in use by running VM "
                        + String.join(", ", running) + "; stop " + (running.size() == 1 ? "it" : "them")
                        + " first (qemu-compose stop " + String.join(" ", running) + ")");
            }
            if (!drivers.networkMode().available()) {
                throw new CapNetAdmin.MissingCapabilityException(drivers.networkMode().reason());
            }
            ApplyContext ctx = new ApplyContext(project, desired(), layout, state, drivers, progress, Duration.ZERO);
            try {
                new ActionRunner(ctx).run(new Action.RemoveNetwork(network, List.of()));
            } catch (InterruptedException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("removing network " + network + " failed: " + e.getMessage(), e);
            }
            return true;
        }
    }

    private static List<String> ids(List<ActionId> ids) {
        return ids.stream().map(ActionId::toString).toList();
    }
}
