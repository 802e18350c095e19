package io.qemucompose.driver.network;

import io.qemucompose.driver.qemu.RelayedNetwork;
import java.util.List;

/**
 * The relay of one bridge NIC in rootless mode: inside the project's namespace it holds the VM's
 * TAP open and passes each frame between it and QEMU's datagram socket ({@link RelayedNetwork}).
 * socat (package socat) does exactly that: its TUN address opens the persistent TAP by name
 * ({@code iff-no-pi}: bare Ethernet frames, as QEMU's dgram backend sends them), and a
 * UNIX-SENDTO address bound to the relay's socket keeps datagram boundaries. A send to a socket
 * that is not there (QEMU not started yet, or gone) ends socat even with {@code -s} (measured), so
 * the relay starts once QEMU has bound its socket and is restarted with the VM's unit.
 */
public final class NamespaceRelay {

    private NamespaceRelay() {
    }

    /** The relay's command line, to run inside the namespace ({@link ProjectNamespace#enter}). */
    public static List<String> command(String socat, String tap, RelayedNetwork nic) {
        InterfaceName.require(tap);
        return List.of(socat, "-s", "TUN,tun-type=tap,tun-name=" + tap + ",iff-no-pi,iff-up",
                "UNIX-SENDTO:" + nic.qemuSocket() + ",bind=" + nic.relaySocket());
    }
}
