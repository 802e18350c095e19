package io.qemucompose.driver.network;

import io.qemucompose.driver.DependencyMissingException;
import io.qemucompose.driver.systemd.OutputTarget;
import io.qemucompose.driver.systemd.TransientUnit;
import io.qemucompose.spec.Names;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The transient user unit {@code qemu-compose-dnsmasq-<project>-<network>.service} that runs one
 * network's dnsmasq in the foreground with its config file ({@link DnsmasqConfig}).
 * {@code Restart=on-failure}: a dnsmasq that dies (not one that is stopped) comes back on its own,
 * as VMs renew their leases.
 */
public final class DnsmasqUnit {

    /** Overrides where dnsmasq is found (a path or a program name). */
    public static final String BINARY_ENV = "QEMU_COMPOSE_DNSMASQ";

    private DnsmasqUnit() {
    }

    /**
     * @param dnsmasq    absolute path, see {@link #binary}
     * @param configFile the rendered {@link DnsmasqConfig}
     * @param log        dnsmasq's stdout and stderr (there is no journald)
     */
    public static TransientUnit of(String project, String network, String dnsmasq, Path configFile, Path log) {
        return builder(project, network, List.of(dnsmasq, "--conf-file=" + configFile.toAbsolutePath()), log).build();
    }

    /**
     * The same dnsmasq inside the project's namespace (rootless mode), bound to its holder unit: a
     * namespace that ends takes its dnsmasq along, and never keeps one running in a namespace no
     * holder names any more.
     */
    public static TransientUnit inNamespace(String project, String network, String dnsmasq, Path configFile, Path log,
            ProjectNamespace namespace) {
        String holder = ProjectNamespace.holderUnitName(project);
        return builder(project, network, namespace.enter(List.of(dnsmasq, "--conf-file=" + configFile.toAbsolutePath())),
                log)
                .property("BindsTo", "as", List.of(holder))
                .property("After", "as", List.of(holder))
                .build();
    }

    private static TransientUnit.Builder builder(String project, String network, List<String> execStart, Path log) {
        return TransientUnit.service(Names.dnsmasqUnitName(project, network) + ".service", execStart)
                .description("qemu-compose DHCP/DNS for network " + network + " of project " + project)
                .standardOutput(OutputTarget.append(log))
                .standardError(OutputTarget.append(log))
                .property("Restart", "s", "on-failure");
    }

    /**
     * The absolute path of dnsmasq: {@link #BINARY_ENV}, else the first on PATH or in the sbin folders
     * (it lives in /usr/sbin, which an ordinary user's PATH often lacks): {@link NetworkMode#find}.
     */
    public static String binary(Map<String, String> environment) {
        String binary = environment.getOrDefault(BINARY_ENV, "dnsmasq");
        if (binary.contains("/")) {
            return Path.of(binary).toAbsolutePath().toString();
        }
        Optional<Path> found = NetworkMode.find(environment, binary);
        if (found.isPresent()) {
            return found.get().toString();
        }
        throw new DependencyMissingException(binary, "dnsmasq-base");
    }
}
