package io.qemucompose.driver.network;

import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.VmSpec;
import io.qemucompose.state.ProjectLayout;
import java.nio.file.Path;
import java.util.List;

/**
 * What a project's network looks like given its subnet: the address reserved for each VM of the
 * file on it, and the dnsmasq config that serves them. Pure, so the observer can tell whether the
 * running dnsmasq has the config the file asks for, and the apply step writes exactly that.
 */
public final class ProjectNetworks {

    private ProjectNetworks() {}

    /** Reservations of every VM of the file on {@code network} (stable: a hash of each name). */
    public static GuestAddresses addresses(ComposeProject project, String network, Ipv4Cidr subnet) {
        List<String> vms = project.vms().values().stream().filter(v -> v.networks().contains(network))
                .map(VmSpec::name).toList();
        return GuestAddresses.plan(subnet, project.name(), network, vms);
    }

    public static DnsmasqConfig dnsmasqConfig(ComposeProject project, String network, Ipv4Cidr subnet) {
        return dnsmasqConfig(project, network, subnet, false);
    }

    /** @param rootless in the project's own namespace ({@link DnsmasqConfig#inProjectNamespace}) */
    public static DnsmasqConfig dnsmasqConfig(ComposeProject project, String network, Ipv4Cidr subnet, boolean rootless) {
        GuestAddresses plan = addresses(project, network, subnet);
        Path leases = new ProjectLayout(project.projectDir()).dhcpLeases(network);
        return rootless ? DnsmasqConfig.inProjectNamespace(project.name(), network, plan, leases)
                : DnsmasqConfig.of(project.name(), network, plan, leases);
    }
}
