package io.qemucompose.driver.qemu;

import java.util.Objects;

/**
 * A NIC on a bridge network through a TAP device that already exists (created, owned by QEMU's
 * user and attached to the bridge by {@code driver.network}); QEMU only opens it.
 *
 * @param ifname   the TAP device ({@code Names.tapName}), at most 15 characters
 * @param mac      the NIC's MAC ({@code MacAddresses.of}), which dnsmasq's reservation and cloud-init match
 * @param netdevId QEMU's id of the backend, unique within the VM
 */
public record TapNetwork(String ifname, String mac, String netdevId) implements NetworkAttachment {

    public TapNetwork {
        Objects.requireNonNull(ifname, "ifname");
        Objects.requireNonNull(netdevId, "netdevId");
        if (!ifname.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}")) {
            throw new IllegalArgumentException("TAP device name '" + ifname + "' is not 1-15 letters, digits, '_', '.', '-'");
        }
        // QEMU ids start with a letter; commas or '=' would break the option string
        if (!netdevId.matches("[A-Za-z][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("netdev id '" + netdevId + "' must start with a letter and hold only"
                    + " letters, digits, '_', '.', '-'");
        }
        MacAddressCheck.requireUnicast(mac);
    }
}
