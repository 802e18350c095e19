package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.driver.Drivers;
import io.qemucompose.status.NetworkStatus;
import io.qemucompose.status.NetworkStatusProbe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code qemu-compose network ls}: each network of the file (and any only networks.json remembers)
 * with its subnet, bridge, the state of its dnsmasq unit and the VMs on it.
 */
@Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true,
        description = "List the project's networks: subnet, bridge, DHCP unit state and the VMs on each.")
public final class NetworkLsCommand implements Callable<Integer> {

    public enum Format { table, json }

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Option(names = "--format", defaultValue = "table", description = "Output: ${COMPLETION-CANDIDATES}.")
    private Format format;

    @Option(names = {"-q", "--quiet"}, description = "Only the names.")
    private boolean quiet;

    public NetworkLsCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        var compose = project.load();
        try (Drivers drivers = Drivers.forUser(env.env())) {
            List<NetworkStatus> networks = new NetworkStatusProbe(drivers).list(compose);
            if (quiet) {
                networks.forEach(n -> env.out().println(n.name()));
            } else if (format == Format.json) {
                env.out().print(JsonOutput.write(networks.stream().map(NetworkLsCommand::json).toList()));
            } else {
                env.out().print(table(networks));
            }
            return ExitCode.OK;
        }
    }

    static String table(List<NetworkStatus> networks) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "DRIVER", "SUBNET", "BRIDGE", "DHCP", "VMS"});
        for (NetworkStatus n : networks) {
            String subnet = n.subnet().orElseGet(() -> n.requested().orElse("-") + " (not created)");
            boolean down = n.subnet().isPresent() && n.dhcp().isPresent() && !n.bridgeUp();
            rows.add(new String[] {n.name() + (n.declared() ? "" : " (not in file)"), n.driver(), subnet,
                    n.bridge() + (down ? " (down)" : ""), dhcp(n), vms(n)});
        }
        return TextTable.render(rows);
    }

    /** The file's VMs on the network, "(running)" after those whose unit runs; running leftovers too. */
    static String vms(NetworkStatus n) {
        List<String> out = new ArrayList<>();
        for (String vm : n.vms()) {
            out.add(n.running().contains(vm) ? vm + " (running)" : vm);
        }
        for (String vm : n.running()) {
            if (!n.vms().contains(vm)) {
                out.add(vm + " (running)");
            }
        }
        return out.isEmpty() ? "-" : String.join(", ", out);
    }

    private static String dhcp(NetworkStatus n) {
        return n.dhcp().map(s -> s.name().toLowerCase(Locale.ROOT)).orElse("unknown");
    }

    static Map<String, Object> json(NetworkStatus n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", n.name());
        m.put("driver", n.driver());
        m.put("in_compose_file", n.declared());
        m.put("subnet", n.subnet().orElse(null));
        m.put("requested_subnet", n.requested().orElse(null));
        m.put("bridge", n.bridge());
        m.put("bridge_up", n.dhcp().isPresent() ? n.bridgeUp() : null);
        m.put("dhcp_unit", n.dhcpUnit());
        m.put("dhcp", dhcp(n));
        m.put("vms", n.vms());
        m.put("running_vms", n.running());
        return m;
    }
}
