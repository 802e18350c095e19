package io.qemucompose.cli.command;

import io.qemucompose.driver.Drivers;
import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.cli.UserFacingException;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.VmSpec;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.StateStore;
import io.qemucompose.status.VmStatus;
import io.qemucompose.status.VmStatusProbe;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code qemu-compose inspect <vm>}: everything about one VM, as text or JSON (docs/inspect-json.md). */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show everything about a VM: status, configuration, disk, networks, ports, volumes, "
                + "environment, provisioning, dependencies, console, logs.")
public final class InspectCommand implements Callable<Integer> {

    public enum Format { text, json }

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Parameters(paramLabel = "VM", description = "The VM to inspect.")
    private String vm;

    @Option(names = "--format", defaultValue = "text", description = "Output: ${COMPLETION-CANDIDATES}.")
    private Format format;

    @Mixin
    private ProbeOptions probing;

    public InspectCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        ComposeProject compose = project.load(List.of(vm));
        VmSpec spec = requireVm(compose, vm);
        try (Drivers drivers = Drivers.forUser(env.env())) {
            var options = new VmStatusProbe.Options(probing.enabled(), probing.timeout(), false,
                    java.util.Set.of(vm));
            VmStatus status = new VmStatusProbe(drivers).probe(compose, options).getFirst();
            ProjectLayout layout = new ProjectLayout(compose.projectDir());
            Map<String, Object> report = InspectReport.build(compose, spec, status, new StateStore(layout).read(), layout,
                    drivers.images());
            env.out().print(format == Format.json ? JsonOutput.write(report) : InspectText.render(report));
            return ExitCode.OK;
        }
    }

    /** The VM's spec, or a clear error naming the closest VM. */
    static VmSpec requireVm(ComposeProject compose, String name) {
        VmSpec spec = compose.vms().get(name);
        if (spec == null) {
            throw new UserFacingException("no VM named '" + name + "' in project " + compose.name()
                    + "; VMs: " + String.join(", ", compose.vms().keySet()));
        }
        return spec;
    }

    /** Convenience for the text renderer. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }
}
