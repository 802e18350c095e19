package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.doctor.Finding;
import io.qemucompose.cli.doctor.HostChecks;
import io.qemucompose.cli.doctor.KvmCheck;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import io.qemucompose.driver.kvm.KvmProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code qemu-compose doctor}: checks the host and says what to install; exit 1 if something required is missing. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check that this host has what qemu-compose needs, and name the Debian packages to install.")
public final class DoctorCommand implements Callable<Integer> {

    private final CommandEnvironment environment;

    @Option(names = "--reprobe", description = "Boot the KVM probe guest again instead of using its cached answer.")
    private boolean reprobe;

    public DoctorCommand(CommandEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        var out = environment.out();
        boolean fancy = environment.stdoutIsTerminal();
        out.println("Checking system dependencies...");
        out.println();
        Path kvmDevice = Path.of("/dev/kvm");
        List<Finding> findings = new HostChecks(environment.env(),
                KvmCheck.probing(KvmProbe.defaults(), kvmDevice, reprobe)).run();
        for (Finding finding : findings) {
            String line = marker(finding.status(), fancy) + " " + finding.name() + ": " + finding.detail();
            if (finding.status() != Finding.Status.OK && finding.debianPackage().isPresent()) {
                line += " (Debian package: " + finding.debianPackage().get() + ")";
            }
            out.println(line);
        }
        out.println();
        var packages = new TreeSet<String>();
        findings.stream().filter(f -> f.status() != Finding.Status.OK)
                .forEach(f -> f.debianPackage().ifPresent(packages::add));
        boolean blocked = findings.stream().anyMatch(Finding::blocksUse);
        if (blocked) {
            out.println(marker(Finding.Status.MISSING, fancy) + " Required dependencies are missing.");
        } else {
            out.println(marker(Finding.Status.OK, fancy) + " All required dependencies are satisfied.");
        }
        if (!packages.isEmpty()) {
            out.println("  Install: apt-get install " + String.join(" ", packages));
        }
        return blocked ? ExitCode.ERROR : ExitCode.OK;
    }

    private static String marker(Finding.Status status, boolean fancy) {
        return switch (status) {
            case OK -> fancy ? "✅" : "[ok]";
            case WARNING -> fancy ? "⚠️ " : "[warn]";
            case MISSING -> fancy ? "❌" : "[missing]";
        };
    }
}
