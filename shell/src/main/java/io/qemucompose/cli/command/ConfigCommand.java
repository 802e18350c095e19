package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.cli.UserFacingException;
import io.qemucompose.spec.ComposeFileException;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.ComposeRenderer;
import io.qemucompose.spec.VmSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code qemu-compose config}: loads, merges, interpolates and validates the compose file(s) and
 * prints the resolved model, or only validates ({@code -q}), or lists names.
 */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Validate the compose file(s) and print the resolved model (defaults filled, "
                + "variables interpolated, paths absolute).")
public final class ConfigCommand implements Callable<Integer> {

    /** Output formats of the resolved model. */
    public enum Format { yaml, json }

    private final CommandEnvironment environment;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ProjectLoading project;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "yaml",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private Format format;

    @Option(names = {"-q", "--quiet"}, description = "Only validate; print nothing, exit 0 if valid, 1 if not.")
    private boolean quiet;

    @Option(names = {"--vms", "--services"}, description = "Print the VM names, one per line.")
    private boolean listVms;

    @Option(names = "--volumes", description = "Print the volume names, one per line.")
    private boolean listVolumes;

    @Option(names = "--networks", description = "Print the network names, one per line.")
    private boolean listNetworks;

    @Parameters(paramLabel = "VM", arity = "0..*",
            description = "Only these VMs (default: all).")
    private List<String> vmNames = new ArrayList<>();

    public ConfigCommand(CommandEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws ComposeFileException {
        int modes = (quiet ? 1 : 0) + (listVms ? 1 : 0) + (listVolumes ? 1 : 0) + (listNetworks ? 1 : 0);
        if (modes > 1) {
            throw new ParameterException(spec.commandLine(),
                    "choose one of -q, --vms, --volumes, --networks");
        }
        ComposeProject resolved = only(vmNames, project.loadFile(vmNames, Map.of()));
        var out = environment.out();
        if (quiet) {
            return ExitCode.OK;
        } else if (listVms) {
            // names as in the file, as docker compose's --services: a scaled VM once
            resolved.vms().values().stream().filter(vm -> vm.replica().index() == 1).map(VmSpec::name)
                    .forEach(out::println);
        } else if (listVolumes) {
            resolved.volumes().keySet().forEach(out::println);
        } else if (listNetworks) {
            resolved.networks().keySet().forEach(out::println);
        } else {
            String text = switch (format) {
                case yaml -> ComposeRenderer.toYaml(resolved);
                case json -> ComposeRenderer.toJson(resolved);
            };
            out.print(text.endsWith("\n") ? text : text + "\n");
        }
        return ExitCode.OK;
    }

    private static ComposeProject only(List<String> names, ComposeProject project) {
        if (names.isEmpty()) {
            return project;
        }
        Map<String, VmSpec> selected = new LinkedHashMap<>();
        for (String name : names) {
            VmSpec vm = project.vms().get(name);
            if (vm == null) {
                throw new UserFacingException("no VM named '" + name + "' in project " + project.name()
                        + " (VMs: " + String.join(", ", project.vms().keySet()) + ")");
            }
            selected.put(name, vm);
        }
        return project.withVms(selected);
    }
}
