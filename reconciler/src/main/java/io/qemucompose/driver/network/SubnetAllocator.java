package io.qemucompose.driver.network;

import io.qemucompose.spec.SubnetSpec;
import java.util.Collection;
import java.util.Optional;

/**
 * Picks the IPv4 subnet of one bridge network. Pure: what is in use is passed in.
 *
 * <p>{@code subnet: auto} gets the first /24 of {@link #POOL} that overlaps nothing in use in the
 * namespace (addresses and routes: a VPN or docker0 route makes its range unusable) and no other
 * project's allocation. The network's current subnet is kept while it still fits, so a network
 * is never renumbered because a lower /24 became free.
 */
public final class SubnetAllocator {

    /** RFC 1918's 172.16.0.0/12: 4096 /24s, and less crowded than 10/8 and 192.168/16 on typical hosts. */
    public static final Ipv4Cidr POOL = Ipv4Cidr.parse("172.16.0.0/12");
    public static final int AUTO_PREFIX = 24;

    private SubnetAllocator() {
    }

    /**
     * @param network       for messages, e.g. {@code network 'backend' of project 'shop'}
     * @param current       the subnet recorded for this network, if any
     * @param used          prefixes of addresses and routes in the namespace, without this network's own bridge
     * @param otherProjects subnets recorded for every other network on this machine
     */
    public static Ipv4Cidr allocate(String network, SubnetSpec requested, Optional<Ipv4Cidr> current,
                                    Collection<Ipv4Cidr> used, Collection<Ipv4Cidr> otherProjects) {
        if (current.isPresent() && fits(requested, current.get())
                && conflict(current.get(), used, otherProjects).isEmpty()) {
            return current.get();
        }
        return switch (requested) {
            case SubnetSpec.Fixed fixed -> {
                Ipv4Cidr wanted = Ipv4Cidr.of(fixed);
                conflict(wanted, used, otherProjects).ifPresent(problem -> {
                    throw new SubnetException(network + " asks for subnet " + wanted + ", which " + problem
                            + "; choose another subnet or 'auto'");
                });
                yield wanted;
            }
            case SubnetSpec.Auto auto -> {
                long count = POOL.size() >> (32 - AUTO_PREFIX);
                for (long i = 0; i < count; i++) {
                    var candidate = new Ipv4Cidr(POOL.address() + (int) (i << (32 - AUTO_PREFIX)), AUTO_PREFIX);
                    if (conflict(candidate, used, otherProjects).isEmpty()) {
                        yield candidate;
                    }
                }
                throw new SubnetException("no free /" + AUTO_PREFIX + " in " + POOL + " for " + network
                        + " (" + otherProjects.size() + " taken by other networks, " + used.size()
                        + " prefixes in use here); give it a fixed subnet");
            }
        };
    }

    private static boolean fits(SubnetSpec requested, Ipv4Cidr current) {
        return switch (requested) {
            case SubnetSpec.Fixed fixed -> Ipv4Cidr.of(fixed).equals(current);
            case SubnetSpec.Auto auto -> POOL.overlaps(current) && current.prefixLength() == AUTO_PREFIX;
        };
    }

    private static Optional<String> conflict(Ipv4Cidr candidate, Collection<Ipv4Cidr> used,
                                             Collection<Ipv4Cidr> otherProjects) {
        for (Ipv4Cidr u : used) {
            if (u.overlaps(candidate)) {
                return Optional.of("overlaps " + u + " (an address or route on this machine)");
            }
        }
        for (Ipv4Cidr o : otherProjects) {
            if (o.overlaps(candidate)) {
                return Optional.of("overlaps " + o + " (the subnet of another qemu-compose network)");
            }
        }
        return Optional.empty();
    }
}
