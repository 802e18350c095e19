package io.qemucompose.status;

import io.qemucompose.observe.UnitState;
import java.util.List;
import java.util.Optional;

/**
 * One row of {@code network ls}.
 *
 * @param declared the compose file has it (false: only networks.json or a leftover bridge/unit remember it)
 * @param requested the {@code subnet:} of the file ({@code auto} or a CIDR), else the one it was created for
 * @param subnet the subnet it got; empty before it was created
 * @param bridge the Linux bridge's name (recorded, else the one it would get)
 * @param bridgeUp the bridge exists with its gateway address and is up; false when unknown
 * @param dhcp the state of its dnsmasq unit; empty when the service manager could not be asked
 * @param vms VMs of the file on it, in file order
 * @param running VMs whose unit runs attached to it (see {@link NetworkUsers#running})
 */
public record NetworkStatus(String name, boolean declared, String driver, Optional<String> requested,
        Optional<String> subnet, String bridge, boolean bridgeUp, Optional<UnitState> dhcp, String dhcpUnit,
        List<String> vms, List<String> running) {

    public NetworkStatus {
        vms = List.copyOf(vms);
        running = List.copyOf(running);
    }

    /** Anything of it exists: an allocation, a bridge or a dnsmasq unit. */
    public boolean created() {
        return subnet.isPresent() || bridgeUp || dhcp.map(s -> s != UnitState.INACTIVE).orElse(false);
    }
}
