package io.qemucompose.driver.network;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The address plan of one bridge network: the gateway is {@code .1}; each VM gets a fixed host
 * address that dnsmasq hands out by MAC and serves by name.
 *
 * <p>A VM's address starts at a hash of its name and probes linearly over {@code .2..(last - 1)}
 * when taken. VMs are placed in name order, so the plan depends on the set of VMs and not on the
 * order they are listed in. Adding a VM whose hash slot is free moves no other VM (probing never
 * passes a free slot); only a newcomer that collides with a VM sorting after it can push that VM
 * on. Nothing is stored: a stable plan for every edit would need recorded reservations.
 */
public final class GuestAddresses {

    /** One VM's reservation. */
    public record Reservation(String vm, String mac, int address) {
        public String ip() {
            return Ipv4Cidr.dotted(address);
        }
    }

    private final Ipv4Cidr subnet;
    private final Map<String, Reservation> byVm;

    private GuestAddresses(Ipv4Cidr subnet, Map<String, Reservation> byVm) {
        this.subnet = subnet;
        this.byVm = byVm;
    }

    /**
     * @param subnet  the network's subnet (from {@link SubnetRegistry})
     * @param project for the MACs ({@link MacAddresses#of})
     * @param network for the MACs
     * @param vms     names of the VMs attached to this network
     */
    public static GuestAddresses plan(Ipv4Cidr subnet, String project, String network, Collection<String> vms) {
        Objects.requireNonNull(subnet, "subnet");
        long usable = subnet.size() - 3; // network, gateway (.1), broadcast
        List<String> sorted = vms.stream().distinct().sorted().toList();
        if (sorted.size() > usable) {
            throw new SubnetException("network '" + network + "' has " + sorted.size() + " VMs but subnet " + subnet
                    + " has room for " + usable);
        }
        Map<Integer, String> taken = new HashMap<>();
        Map<String, String> macs = new HashMap<>();
        Map<String, Reservation> byVm = new LinkedHashMap<>();
        for (String vm : sorted) {
            String mac = MacAddresses.of(project, vm, network);
            String clash = macs.putIfAbsent(mac, vm);
            if (clash != null) {
                throw new SubnetException("VMs '" + clash + "' and '" + vm + "' of network '" + network
                        + "' hash to the same MAC " + mac + "; rename one of them");
            }
            long start = Integer.toUnsignedLong(ByteBuffer.wrap(MacAddresses.sha256(vm)).getInt()) % usable;
            for (long probe = 0; ; probe++) {
                int host = (int) ((start + probe) % usable) + 2;
                if (!taken.containsKey(host)) {
                    taken.put(host, vm);
                    byVm.put(vm, new Reservation(vm, mac, subnet.host(host)));
                    break;
                }
            }
        }
        return new GuestAddresses(subnet, byVm);
    }

    public Ipv4Cidr subnet() {
        return subnet;
    }

    public String gateway() {
        return Ipv4Cidr.dotted(subnet.gateway());
    }

    public Optional<Reservation> of(String vm) {
        return Optional.ofNullable(byVm.get(vm));
    }

    /** Every reservation, in VM name order. */
    public List<Reservation> reservations() {
        return new ArrayList<>(byVm.values());
    }
}
