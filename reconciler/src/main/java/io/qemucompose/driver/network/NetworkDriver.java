package io.qemucompose.driver.network;

import java.util.List;
import java.util.Optional;

/**
 * Bridges and TAP devices of bridge networks, in whatever network namespace the implementation
 * works in: {@link HostNetworkDriver} in the one qemu-compose runs in (root or CAP_NET_ADMIN); a
 * rootless driver (a user + network namespace per project) can implement the same calls.
 *
 * <p>Every {@code ensure} is idempotent and corrects what differs; every {@code delete} of
 * something absent does nothing. Both refuse to touch a link of that name that is not theirs
 * (a {@code tap-x} that is a veth, say).
 */
public interface NetworkDriver {

    /** A bridge as it is now. {@code addresses} as {@code ip} prints them: {@code 172.16.0.1/24}. */
    record BridgeLink(String name, List<String> addresses, boolean up) {
    }

    /** A TAP device as it is now; {@code owner} as {@code ip} prints it (a user name or a uid). */
    record TapLink(String name, Optional<String> master, Optional<String> owner, boolean up) {
    }

    /**
     * Creates the bridge if missing, makes {@code subnet}'s gateway ({@code .1}) its only IPv4 address,
     * and sets it up.
     */
    void ensureBridge(String name, Ipv4Cidr subnet);

    Optional<BridgeLink> bridge(String name);

    default boolean bridgeExists(String name) {
        return bridge(name).isPresent();
    }

    /** Removes the bridge (its ports are detached by the kernel, not deleted). */
    void deleteBridge(String name);

    /**
     * Creates a persistent TAP (vnet_hdr, one queue) that user {@code ownerUid} may open (QEMU runs as
     * that user), attaches it to {@code bridge} and sets it up. An existing TAP keeps its owner.
     */
    void ensureTap(String name, String bridge, int ownerUid);

    void deleteTap(String name);

    /** Every TAP device in the namespace. */
    List<TapLink> listTaps();

    default List<TapLink> tapsOn(String bridge) {
        return listTaps().stream().filter(t -> t.master().equals(Optional.of(bridge))).toList();
    }

    default List<TapLink> tapsNamed(String prefix) {
        return listTaps().stream().filter(t -> t.name().startsWith(prefix)).toList();
    }

    /** Every IPv4 address prefix and route destination in the namespace (not the default route). */
    List<UsedNetwork> usedNetworks();
}
