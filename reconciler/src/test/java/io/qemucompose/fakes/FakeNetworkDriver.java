package io.qemucompose.fakes;

import io.qemucompose.driver.network.Ipv4Cidr;
import io.qemucompose.driver.network.NetworkDriver;
import io.qemucompose.driver.network.UsedNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Bridges and TAPs as entries in maps, for unit tests of the reconciler's network logic. */
public final class FakeNetworkDriver implements NetworkDriver {

    private final Map<String, Ipv4Cidr> bridges = new ConcurrentHashMap<>();
    private final Map<String, String> taps = new ConcurrentHashMap<>();
    private final List<UsedNetwork> routes = new CopyOnWriteArrayList<>();
    private final List<String> deleted = new CopyOnWriteArrayList<>();

    /** A route already in the namespace (the allocator must avoid it). */
    public FakeNetworkDriver withRoute(String cidr) {
        routes.add(new UsedNetwork(Ipv4Cidr.parse(cidr), "eth9", UsedNetwork.Source.ROUTE));
        return this;
    }

    public FakeNetworkDriver withBridge(String name, Ipv4Cidr subnet) {
        bridges.put(name, subnet);
        return this;
    }

    public FakeNetworkDriver withTap(String name, String bridge) {
        taps.put(name, bridge);
        return this;
    }

    /** Names of the links deleted, in order. */
    public List<String> deleted() {
        return List.copyOf(deleted);
    }

    /** TAP name → its bridge. */
    public Map<String, String> taps() {
        return Map.copyOf(taps);
    }

    @Override
    public void ensureBridge(String name, Ipv4Cidr subnet) {
        bridges.put(name, subnet);
    }

    @Override
    public Optional<BridgeLink> bridge(String name) {
        return Optional.ofNullable(bridges.get(name)).map(s -> new BridgeLink(name, List.of(s.gatewayCidr()), true));
    }

    @Override
    public void deleteBridge(String name) {
        if (bridges.remove(name) != null) {
            deleted.add(name);
        }
    }

    @Override
    public void ensureTap(String name, String bridge, int ownerUid) {
        if (!bridges.containsKey(bridge)) {
            throw new IllegalStateException("no bridge " + bridge);
        }
        taps.put(name, bridge);
    }

    @Override
    public void deleteTap(String name) {
        if (taps.remove(name) != null) {
            deleted.add(name);
        }
    }

    @Override
    public List<TapLink> listTaps() {
        List<TapLink> out = new ArrayList<>();
        taps.forEach((t, b) -> out.add(new TapLink(t, Optional.of(b), Optional.of("0"), true)));
        return out;
    }

    @Override
    public List<UsedNetwork> usedNetworks() {
        List<UsedNetwork> out = new ArrayList<>(routes);
        bridges.forEach((b, s) -> out.add(new UsedNetwork(s, b, UsedNetwork.Source.ADDRESS)));
        return out;
    }
}
