package io.qemucompose.driver.network;

import java.util.Collection;
import java.util.List;

/**
 * A prefix the namespace already uses: an interface address ({@code 172.16.0.1/24} on a bridge
 * is {@code 172.16.0.0/24}) or a route destination.
 */
public record UsedNetwork(Ipv4Cidr cidr, String device, Source source) {

    public enum Source { ADDRESS, ROUTE }

    /** The prefixes, leaving out those on {@code ownDevice} (a network's own bridge is no conflict for itself). */
    public static List<Ipv4Cidr> cidrsExcept(Collection<UsedNetwork> used, String ownDevice) {
        return used.stream().filter(u -> !u.device().equals(ownDevice)).map(UsedNetwork::cidr).distinct().sorted().toList();
    }
}
