package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.cli.UserFacingException;
import io.qemucompose.convert.kubevirt.ConversionWarning;
import io.qemucompose.convert.kubevirt.ConvertOptions;
import io.qemucompose.convert.kubevirt.KubevirtConversion;
import io.qemucompose.convert.kubevirt.KubevirtConversionException;
import io.qemucompose.convert.kubevirt.KubevirtConverter;
import io.qemucompose.convert.kubevirt.Manifest;
import io.qemucompose.convert.kubevirt.ManifestYaml;
import io.qemucompose.driver.cloudinit.SeedRenderer;
import io.qemucompose.driver.ssh.SshKeyPair;
import io.qemucompose.spec.ComposeFileException;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.SubnetSpec;
import io.qemucompose.state.AtomicFiles;
import io.qemucompose.state.NetworkAllocations;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.ProjectLock;
import io.qemucompose.state.StateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code qemu-compose convert --to kubevirt [-o DIR | -]}: the project as KubeVirt manifests, for
 * {@code kubectl apply -f DIR}. Warnings (what KubeVirt does differently) go to stderr; with
 * {@code --strict} they are errors and nothing is written. docs/kubevirt.md has the mapping.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert the project into manifests for another engine: KubeVirt VirtualMachines, "
                + "DataVolumes, Secrets, Services and Multus networks (kubectl apply -f DIR).")
public final class ConvertCommand implements Callable<Integer> {

    /** The engines convert writes for. */
    public enum Target { kubevirt }

    private final CommandEnvironment environment;

    @Mixin
    private ProjectLoading project;

    @Option(names = "--to", required = true, paramLabel = "TARGET",
            description = "What to convert to: ${COMPLETION-CANDIDATES}.")
    private Target target;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "-",
            description = "Folder for one file per object, or '-' for one multi-document stream on stdout "
                    + "(default: ${DEFAULT-VALUE}).")
    private String output;

    @Option(names = "--strict", description = "Treat every warning as an error: write nothing and exit 1.")
    private boolean strict;

    @Option(names = "--pod-network-only",
            description = "Leave bridge networks out: every VM gets the pod network only (warned per network).")
    private boolean podNetworkOnly;

    public ConvertCommand(CommandEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws ComposeFileException {
        ComposeProject compose = project.load();
        ProjectLayout layout = new ProjectLayout(compose.projectDir());
        KubevirtConversion conversion;
        try {
            conversion = new KubevirtConverter(new SeedRenderer()).convert(compose,
                    new ConvertOptions(publicKey(layout), leasedSubnets(compose, layout), podNetworkOnly));
        } catch (KubevirtConversionException e) {
            throw new UserFacingException(e.getMessage(), e);
        }
        var err = environment.err();
        for (ConversionWarning warning : conversion.warnings()) {
            err.println((strict ? "error: " : "warning: ") + warning);
        }
        if (strict && !conversion.warnings().isEmpty()) {
            throw new UserFacingException(conversion.warnings().size() + " warning(s) are errors with --strict;"
                    + " nothing was written");
        }
        ManifestYaml yaml = new ManifestYaml();
        if (output.equals("-")) {
            environment.out().print(yaml.stream(conversion.manifests()));
            return ExitCode.OK;
        }
        Path dir = environment.cwd().resolve(output);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserFacingException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        for (Manifest manifest : conversion.manifests()) {
            // a Secret holds the guest's password hash and keys: only its owner reads it
            AtomicFiles.write(dir.resolve(manifest.fileName()),
                    yaml.document(manifest).getBytes(StandardCharsets.UTF_8),
                    PosixFilePermissions.fromString(manifest.holdsSecret() ? "rw-------" : "rw-r--r--"));
        }
        err.println("wrote " + conversion.manifests().size() + " manifests to " + dir + "; apply them with"
                + " `kubectl apply -f " + output + "`");
        return ExitCode.OK;
    }

    /**
     * The seed holds the project key, as the local one does: generated now if {@code up} never ran,
     * under the project lock, so the VMs here and there accept the same key.
     */
    private static String publicKey(ProjectLayout layout) {
        try (ProjectLock.Held ignored = new StateStore(layout).lock()) {
            return SshKeyPair.ensure(layout.sshPrivateKey()).publicKeyLine();
        }
    }

    /** The subnets {@code up} leased for this project's {@code subnet: auto} networks, if it ran. */
    private static Map<String, String> leasedSubnets(ComposeProject compose, ProjectLayout layout) {
        Map<String, String> out = new LinkedHashMap<>();
        NetworkAllocations.File allocations = new NetworkAllocations(layout).read();
        compose.networks().values().stream().filter(n -> n.subnet() instanceof SubnetSpec.Auto)
                .forEach(n -> allocations.network(n.name()).ifPresent(a -> out.put(n.name(), a.subnet())));
        return out;
    }
}
