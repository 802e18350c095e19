package io.qemucompose.driver.qemu;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A NIC on a bridge network that lives in the project's own user + network namespace (rootless
 * mode, docs/networks.md): QEMU stays in the host's namespace and exchanges the NIC's Ethernet
 * frames, one per datagram, over a pair of Unix datagram sockets with a relay inside the namespace
 * that owns the TAP ({@code driver.network.NamespaceRelay}). QEMU 7.2's {@code -netdev dgram}.
 *
 * @param qemuSocket the socket QEMU binds (the relay sends to it)
 * @param relaySocket the relay's socket (QEMU sends to it)
 * @param mac        the NIC's MAC ({@code MacAddresses.of}), as for a TAP NIC
 * @param netdevId   QEMU's id of the backend, unique within the VM
 */
public record RelayedNetwork(Path qemuSocket, Path relaySocket, String mac, String netdevId)
        implements NetworkAttachment {

    /** sun_path holds 108 bytes with its terminating NUL. */
    static final int MAX_SOCKET_PATH = 107;

    public RelayedNetwork {
        Objects.requireNonNull(qemuSocket, "qemuSocket");
        Objects.requireNonNull(relaySocket, "relaySocket");
        for (Path socket : new Path[] {qemuSocket, relaySocket}) {
            String text = socket.toString();
            if (!socket.isAbsolute() || text.contains(",") || text.length() > MAX_SOCKET_PATH) {
                throw new IllegalArgumentException("datagram socket " + text + " must be an absolute path without"
                        + " commas, at most " + MAX_SOCKET_PATH + " characters");
            }
        }
        if (!netdevId.matches("[A-Za-z][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("netdev id '" + netdevId + "' must start with a letter and hold only"
                    + " letters, digits, '_', '.', '-'");
        }
        MacAddressCheck.requireUnicast(mac);
    }
}
