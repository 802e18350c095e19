package io.qemucompose.status;

import io.qemucompose.driver.Drivers;
import io.qemucompose.observe.ObservedNetwork;
import io.qemucompose.observe.UnitState;
import io.qemucompose.observe.WorldObserver;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.Names;
import io.qemucompose.spec.NetworkSpec;
import io.qemucompose.state.NetworkAllocations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The project's networks as {@code network ls} shows them: the file's networks in file order, then
 * those only networks.json remembers, each with its subnet, bridge, dnsmasq unit and VMs. When the
 * service manager or {@code ip} cannot be asked, the recorded facts are still shown (DHCP unknown).
 */
public final class NetworkStatusProbe {

    private final Drivers drivers;

    public NetworkStatusProbe(Drivers drivers) {
        this.drivers = drivers;
    }

    public List<NetworkStatus> list(ComposeProject project) {
        WorldObserver observer = new WorldObserver(drivers);
        WorldObserver.Instances world = observer.instances(project, true);
        Map<String, ObservedNetwork> observed = new LinkedHashMap<>();
        boolean live = true;
        try {
            if (world.units().isEmpty()) {
                throw new IllegalStateException("the service manager was not reachable a moment ago");
            }
            observed.putAll(observer.networks(project, world.layout()));
        } catch (RuntimeException e) {
            // shown as DHCP "unknown"; asking again would only wait for the same timeout twice
            live = false;
            observed.clear();
            NetworkAllocations.File recorded = new NetworkAllocations(world.layout()).read();
            for (String name : project.networks().keySet()) {
                observed.put(name, ObservedNetwork.absent(name));
            }
            recorded.networks().forEach((name, allocation) -> observed.put(name,
                    new ObservedNetwork(name, Optional.of(allocation), false, UnitState.INACTIVE, false)));
        }
        List<NetworkStatus> out = new ArrayList<>();
        for (ObservedNetwork n : observed.values()) {
            out.add(status(project, world, n, live));
        }
        return out;
    }

    static NetworkStatus status(ComposeProject project, WorldObserver.Instances world, ObservedNetwork n, boolean live) {
        NetworkSpec spec = project.networks().get(n.name());
        Optional<NetworkAllocations.Network> allocation = n.allocation();
        Optional<String> requested = Optional.ofNullable(spec).map(s -> s.subnet().toString())
                .or(() -> allocation.map(NetworkAllocations.Network::requested));
        return new NetworkStatus(n.name(), spec != null, spec == null ? NetworkSpec.BRIDGE : spec.driver(), requested,
                allocation.map(NetworkAllocations.Network::subnet),
                allocation.map(NetworkAllocations.Network::bridge).orElse(Names.bridgeName(project.name(), n.name())),
                n.bridgeUp(), live ? Optional.of(n.dnsmasq()) : Optional.empty(),
                Names.dnsmasqUnitName(project.name(), n.name()),
                NetworkUsers.attached(project, n.name()), NetworkUsers.running(project, world, n.name()));
    }
}
