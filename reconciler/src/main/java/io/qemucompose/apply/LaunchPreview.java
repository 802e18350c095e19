package io.qemucompose.apply;

import io.qemucompose.driver.cloudinit.ShellWords;
import io.qemucompose.driver.qemu.QemuCommandLine;
import io.qemucompose.driver.qemu.VmRuntimeSpec;
import io.qemucompose.driver.systemd.ControlCommand;
import io.qemucompose.driver.systemd.OutputTarget;
import io.qemucompose.driver.systemd.TransientUnit;
import io.qemucompose.plan.Action;
import io.qemucompose.plan.Plan;
import io.qemucompose.state.ProjectState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code --dry-run}: the exact QEMU command line and transient-unit properties each VM the plan
 * starts would get, built by the same code that starts it ({@link VmLaunch}), without running
 * anything.
 *
 * @param profile    the device profile's name ({@code freebsd-x86-64})
 * @param sshPortNote empty when the SSH port shown is the VM's own; else why it is a placeholder
 */
public record LaunchPreview(String vm, String profile, List<String> argv, TransientUnit unit, Optional<String> sshPortNote) {

    static List<LaunchPreview> of(ApplyContext ctx, Plan plan) {
        var out = new ArrayList<LaunchPreview>();
        for (Action action : plan.actions()) {
            if (action instanceof Action.StartVm start) {
                out.add(of(ctx, start.vm()));
            }
        }
        return out;
    }

    private static LaunchPreview of(ApplyContext ctx, String vm) {
        var d = ctx.vm(vm);
        Optional<Integer> port = ctx.state().read().vm(vm).map(ProjectState.VmRecord::sshPort)
                .or(d::fixedSshPort)
                .or(() -> ctx.drivers().portLeases().find(ctx.project().projectDir(), vm).map(l -> l.port()));
        Optional<String> note = port.isPresent() ? Optional.empty() : Optional.of("the SSH port is leased when the VM "
                + "first starts; " + io.qemucompose.driver.net.PortLeases.FIRST_PORT + " stands in for it here");
        VmRuntimeSpec runtime = VmLaunch.runtimeSpec(ctx, d, port.orElse(io.qemucompose.driver.net.PortLeases.FIRST_PORT));
        return new LaunchPreview(vm, runtime.profile().name(), QemuCommandLine.argv(runtime),
                VmLaunch.unit(ctx, d, runtime), note);
    }

    /** The command line as one shell-quoted line per option, as a user would paste it. */
    public String commandText() {
        var sb = new StringBuilder(ShellWords.quote(argv.getFirst()));
        for (int i = 1; i < argv.size(); i++) {
            String word = argv.get(i);
            boolean flag = word.startsWith("-");
            sb.append(flag ? " \\\n  " : " ").append(ShellWords.quote(word));
        }
        return sb.append('\n').toString();
    }

    /** The unit's properties, {@code Name=value} as {@code systemctl show} prints them. */
    public List<String> unitProperties() {
        var out = new ArrayList<String>();
        out.add("Unit=" + unit.name());
        out.add("Description=" + unit.description());
        unit.workingDirectory().ifPresent(d -> out.add("WorkingDirectory=" + d));
        unit.environment().forEach((k, v) -> out.add("Environment=" + k + "=" + v));
        unit.standardOutput().ifPresent(o -> out.add("StandardOutput=" + target(o)));
        unit.standardError().ifPresent(o -> out.add("StandardError=" + target(o)));
        out.add("Type=" + unit.type());
        out.add("KillMode=" + unit.killMode().name().toLowerCase(java.util.Locale.ROOT));
        unit.killSignal().ifPresent(s -> out.add("KillSignal=" + s));
        unit.timeoutStop().ifPresent(t -> out.add("TimeoutStopSec=" + t.toSeconds()));
        out.add("SendSIGKILL=" + (unit.sendSigkill() ? "yes" : "no"));
        out.add("CollectMode=" + unit.collectMode());
        unit.execStartPre().forEach(c -> out.add("ExecStartPre=" + command(c)));
        unit.execStopPost().forEach(c -> out.add("ExecStopPost=" + command(c)));
        unit.extraProperties().forEach(p -> out.add(p.name() + "=" + p.value()));
        return out;
    }

    private static String command(ControlCommand c) {
        return (c.ignoreFailure() ? "-" : "") + String.join(" ", c.argv().stream().map(ShellWords::quote).toList());
    }

    private static String target(OutputTarget o) {
        return switch (o) {
            case OutputTarget.Append a -> "append:" + a.file();
            case OutputTarget.File f -> "file:" + f.file();
            case OutputTarget.Truncate t -> "truncate:" + t.file();
            case OutputTarget.Discard x -> "null";
        };
    }
}
