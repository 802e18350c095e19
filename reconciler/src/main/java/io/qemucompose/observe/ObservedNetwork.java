package io.qemucompose.observe;

import io.qemucompose.state.NetworkAllocations;
import java.util.Optional;

/**
 * One network as the world shows it.
 *
 * @param allocation what networks.json recorded (subnet, bridge, addresses); empty: never created
 * @param bridgeUp the bridge exists with its gateway address and is up
 * @param dnsmasq the state of its DHCP/DNS unit
 * @param configCurrent the dnsmasq config on disk is the one the file asks for now (same VMs,
 *     same addresses); false when there is none
 */
public record ObservedNetwork(String name, Optional<NetworkAllocations.Network> allocation, boolean bridgeUp,
        UnitState dnsmasq, boolean configCurrent) {

    public static ObservedNetwork absent(String name) {
        return new ObservedNetwork(name, Optional.empty(), false, UnitState.INACTIVE, false);
    }

    public boolean exists() {
        return allocation.isPresent() || bridgeUp || dnsmasq != UnitState.INACTIVE;
    }

    /** Bridge up, dnsmasq running with the current config. */
    public boolean healthy() {
        return allocation.isPresent() && bridgeUp && dnsmasq == UnitState.ACTIVE && configCurrent;
    }
}
