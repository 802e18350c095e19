package io.qemucompose.cli.command;

import io.qemucompose.apply.GraphExecutor;
import io.qemucompose.apply.Reconciler;
import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.plan.Action;
import io.qemucompose.spec.Names;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Go tool's per-VM shape for {@code up}, {@code stop} and {@code destroy}, so scripts written
 * for it keep working: {@code VM: web}, indented {@code ✓ Started (unit: …)} lines, then one
 * {@code ✓ All VMs started successfully}. The marks are {@code ✓}/{@code ✗} on a terminal and
 * plain ASCII ({@code OK}/{@code FAILED}) otherwise; {@code --format json} prints {@link #json}.
 */
final class LifecycleOutput {

    enum Verb {
        UP("started", "Started", "started successfully", "could not be started"),
        STOP("stopped", "Stopped", "stopped successfully", "could not be stopped"),
        DESTROY("removed", "Stopped", "stopped and removed successfully", "could not be removed"),
        SUSPEND("suspended", "Suspended", "suspended successfully", "could not be suspended");

        final String result;
        final String firstLine;
        final String allDone;
        final String someFailed;

        Verb(String result, String firstLine, String allDone, String someFailed) {
            this.result = result;
            this.firstLine = firstLine;
            this.allDone = allDone;
            this.someFailed = someFailed;
        }
    }

    /** One VM's outcome: {@code error} is empty when all its actions succeeded. */
    record VmOutcome(String name, String unit, Optional<String> error) {
        boolean ok() {
            return error.isEmpty();
        }
    }

    private final boolean terminal;

    LifecycleOutput(boolean terminal) {
        this.terminal = terminal;
    }

    String mark(boolean ok) {
        return ok ? (terminal ? "✓" : "OK") : (terminal ? "✗" : "FAILED");
    }

    /** Each VM's first failed (or skipped) action, from the apply's report. */
    static Optional<String> errorOf(String vm, Optional<Reconciler.Result> result) {
        if (result.isEmpty()) {
            return Optional.empty();
        }
        Map<String, GraphExecutor.Outcome> outcomes = result.get().report().outcomes();
        for (Action a : result.get().plan().actions()) {
            if (!a.vm().equals(vm)) {
                continue;
            }
            switch (outcomes.get(a.id().toString())) {
                case GraphExecutor.Outcome.Failed f -> {
                    return Optional.of(String.valueOf(f.error().getMessage()).lines().findFirst().orElse(""));
                }
                case GraphExecutor.Outcome.Skipped s -> {
                    return Optional.of("skipped (" + s.becauseOf() + " failed)");
                }
                case null, default -> { }
            }
        }
        return Optional.empty();
    }

    /** The lines of one VM; {@code extra} follow the first for a VM that succeeded. */
    String vmBlock(Verb verb, VmOutcome vm, List<String> extra) {
        StringBuilder sb = new StringBuilder("VM: ").append(vm.name()).append('\n');
        if (!vm.ok()) {
            sb.append("  ").append(mark(false)).append(" Failed: ").append(vm.error().get()).append('\n');
            return sb.toString();
        }
        sb.append("  ").append(mark(true)).append(' ').append(verb.firstLine);
        if (verb == Verb.UP) {
            sb.append(" (unit: ").append(vm.unit()).append(')');
        }
        sb.append('\n');
        if (verb == Verb.DESTROY) {
            sb.append("  ").append(mark(true)).append(" Instance disk removed\n");
        }
        extra.forEach(line -> sb.append("  ").append(line).append('\n'));
        return sb.toString();
    }

    String summary(Verb verb, boolean ok) {
        return mark(ok) + (ok ? " All VMs " + verb.allDone : " Some VMs " + verb.someFailed);
    }

    /** Prints the per-VM blocks and the summary line (nothing when no VM changed), or the JSON document. */
    static void report(CommandEnvironment env, Verb verb, Reconciling r, List<String> vms, int code,
            boolean json) {
        List<VmOutcome> outcomes = vms.stream().map(name -> new VmOutcome(name,
                Names.unitName(r.project().name(), name), errorOf(name, r.lastResult()))).toList();
        if (json) {
            env.out().print(JsonOutput.write(json(verb, r.project().name(), code, outcomes)));
            return;
        }
        if (vms.isEmpty()) {
            return;
        }
        LifecycleOutput output = new LifecycleOutput(env.stdoutIsTerminal());
        for (VmOutcome vm : outcomes) {
            env.out().println();
            env.out().print(output.vmBlock(verb, vm, List.of()));
        }
        env.out().println();
        (code == 0 ? env.out() : env.err()).println(output.summary(verb, code == 0));
    }

    /** {@code --format json}: one document, the same keys for the three commands. */
    static Map<String, Object> json(Verb verb, String project, int exitCode, List<VmOutcome> vms) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", verb.name().toLowerCase(Locale.ROOT));
        m.put("project", project);
        m.put("succeeded", exitCode == 0);
        m.put("exit_code", exitCode);
        List<Map<String, Object>> list = new ArrayList<>();
        for (VmOutcome vm : vms) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("name", vm.name());
            v.put("result", vm.ok() ? verb.result : "failed");
            v.put("unit", vm.unit());
            v.put("error", vm.error().orElse(null));
            list.add(v);
        }
        m.put("vms", list);
        return m;
    }
}
