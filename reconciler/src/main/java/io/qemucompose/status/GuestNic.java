package io.qemucompose.status;

import java.util.Optional;

/**
 * One NIC of a guest as {@code ps} and {@code inspect} show it. Every VM has the user-mode NIC
 * (SSH, readiness, {@code ports:}, the way out); a VM on bridge networks has one more per network,
 * in the order of its {@code networks:} list.
 */
public sealed interface GuestNic {

    /** The MAC QEMU gives the guest's card (the same value dnsmasq and cloud-init match on). */
    String mac();

    /** The address others reach the guest at on this NIC, when known. */
    Optional<String> address();

    /**
     * QEMU's user-mode NIC; the guest is reached through its forwarded SSH port, not an address.
     *
     * @param sshPort the host port forwarded to the guest's port 22 on 127.0.0.1; empty before the first start
     */
    record User(String mac, Optional<Integer> sshPort) implements GuestNic {
        public Optional<String> address() {
            return Optional.empty();
        }

        /** {@code 127.0.0.1:<port> -> 22}, as inspect has always shown it. */
        public Optional<String> sshForward() {
            return sshPort.map(p -> "127.0.0.1:" + p + " -> 22");
        }
    }

    /**
     * A TAP on a project network's bridge.
     *
     * @param subnet the allocated subnet (networks.json), else the requested {@code subnet:}; empty for neither
     * @param reserved the address networks.json reserves for the VM on this network
     * @param leased the address in dnsmasq's lease for {@link #mac()}, while the VM runs
     * @param dhcpUnit the network's dnsmasq unit, without {@code .service}
     */
    record Bridge(String network, String mac, String tap, String bridge, Optional<String> subnet,
            Optional<String> reserved, Optional<String> leased, String dhcpUnit) implements GuestNic {
        /** The leased address: what the guest holds now, not what it should get. */
        public Optional<String> address() {
            return leased;
        }
    }
}
