package io.qemucompose.driver.network;

import io.qemucompose.driver.DependencyMissingException;
import io.qemucompose.driver.systemd.OutputTarget;
import io.qemucompose.driver.systemd.TransientUnit;
import io.qemucompose.spec.Names;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The transient user unit {@code qemu-compose-dnsmasq-<project>-<network>.service} that runs one
 * network's dnsmasq in the foreground with its config file ({@link DnsmasqConfig}).
 * {@code Restart=on-failure}: a dnsmasq that dies (not one that is stopped) comes back on its own,
 * as VMs renew their leases.
 */
public final class DnsmasqUnit {

    /** Overrides where dnsmasq is found (a path or a program name). */
    public static final String BINARY_ENV = "QEMU_COMPOSE_DNSMASQ";
    /** dnsmasq lives in /usr/sbin, which an ordinary user's PATH often lacks. */
    private static final List<String> SBIN = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");

    private DnsmasqUnit() {
    }

    /**
     * @param dnsmasq    absolute path, see {@link #binary}
     * @param configFile the rendered {@link DnsmasqConfig}
     * @param log        dnsmasq's stdout and stderr (there is no journald)
     */
    public static TransientUnit of(String project, String network, String dnsmasq, Path configFile, Path log) {
        return TransientUnit.service(Names.dnsmasqUnitName(project, network) + ".service",
                        List.of(dnsmasq, "--conf-file=" + configFile.toAbsolutePath()))
                .description("qemu-compose DHCP/DNS for network " + network + " of project " + project)
                .standardOutput(OutputTarget.append(log))
                .standardError(OutputTarget.append(log))
                .property("Restart", "s", "on-failure")
                .build();
    }

    /** The absolute path of dnsmasq: {@link #BINARY_ENV}, else the first on PATH or in the sbin folders. */
    public static String binary(Map<String, String> environment) {
        String binary = environment.getOrDefault(BINARY_ENV, "dnsmasq");
        if (binary.contains("/")) {
            return Path.of(binary).toAbsolutePath().toString();
        }
        Set<String> dirs = new LinkedHashSet<>(List.of(environment.getOrDefault("PATH", "/usr/bin:/bin").split(":")));
        dirs.addAll(SBIN);
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) {
                return Path.of(dir, binary).toAbsolutePath().toString();
            }
        }
        throw new DependencyMissingException(binary, "dnsmasq-base");
    }
}
