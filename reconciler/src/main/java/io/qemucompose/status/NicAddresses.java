package io.qemucompose.status;

import io.qemucompose.driver.network.DhcpLeases;
import io.qemucompose.driver.network.MacAddresses;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.Names;
import io.qemucompose.spec.NetworkSpec;
import io.qemucompose.state.NetworkAllocations;
import io.qemucompose.state.ProjectLayout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A VM's NICs and their addresses. A bridge NIC's address is looked up in its network's dnsmasq
 * lease file by the MAC the <em>guest's</em> card has ({@link MacAddresses#of}), never by the TAP's
 * own MAC (the host side of the link, which DHCP never sees).
 */
public final class NicAddresses {

    private final ComposeProject project;
    private final NetworkAllocations.File allocations;
    private final Function<String, DhcpLeases> leases;
    private final Instant now;

    /**
     * @param leases network name → its lease file, read at most once per network
     * @param now leases that expired before it are not addresses any more
     */
    public NicAddresses(ComposeProject project, NetworkAllocations.File allocations,
            Function<String, DhcpLeases> leases, Instant now) {
        this.project = project;
        this.allocations = allocations;
        Map<String, DhcpLeases> cache = new HashMap<>();
        this.leases = network -> {
            synchronized (cache) {
                return cache.computeIfAbsent(network, leases);
            }
        };
        this.now = now;
    }

    /** The project's networks.json and the lease files under {@code .qemu-compose/networks/}. */
    public static NicAddresses read(ComposeProject project) {
        ProjectLayout layout = new ProjectLayout(project.projectDir());
        return new NicAddresses(project, new NetworkAllocations(layout).read(),
                network -> DhcpLeases.read(layout.dhcpLeases(network)), Instant.now());
    }

    /**
     * The VM's NICs in the order QEMU attaches them: user-mode first, then one per network.
     *
     * @param networks the VM's {@code networks:} (empty for an orphan: its file entry is gone)
     * @param running whether the VM's unit runs: a stopped VM holds no address, whatever its old lease says
     */
    public List<GuestNic> of(String vm, List<String> networks, Optional<Integer> sshPort, boolean running) {
        List<GuestNic> out = new ArrayList<>();
        out.add(new GuestNic.User(MacAddresses.userNic(project.name(), vm), sshPort));
        for (int i = 0; i < networks.size(); i++) {
            String network = networks.get(i);
            String mac = MacAddresses.of(project.name(), vm, network);
            Optional<NetworkAllocations.Network> allocation = allocations.network(network);
            Optional<String> subnet = allocation.map(NetworkAllocations.Network::subnet)
                    .or(() -> Optional.ofNullable(project.networks().get(network))
                            .map(NetworkSpec::subnet).map(Object::toString));
            Optional<String> reserved = allocation.flatMap(a -> Optional.ofNullable(a.addresses().get(vm)));
            Optional<String> leased = running && allocation.isPresent() ? lease(network, mac) : Optional.empty();
            out.add(new GuestNic.Bridge(network, mac, Names.tapName(project.name(), vm, i),
                    allocation.map(NetworkAllocations.Network::bridge).orElse(Names.bridgeName(project.name(), network)),
                    subnet, reserved, leased, Names.dnsmasqUnitName(project.name(), network)));
        }
        return out;
    }

    private Optional<String> lease(String network, String mac) {
        return leases.apply(network).byMac(mac)
                .filter(l -> l.expiry().map(e -> e.isAfter(now)).orElse(true))
                .map(DhcpLeases.Lease::ip);
    }
}
