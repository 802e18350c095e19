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

/** Bridges and TAPs in memory: what exists is what the test put there or the code created. Nothing reaches {@code ip}. */
public final class FakeNetworkDriver implements NetworkDriver {

    private final Map<String, BridgeLink> bridges = new ConcurrentHashMap<>();
    private final Map<String, TapLink> taps = new ConcurrentHashMap<>();
    private final List<String> deleted = new CopyOnWriteArrayList<>();

    public FakeNetworkDriver withBridge(String name, Ipv4Cidr subnet) {
        bridges.put(name, new BridgeLink(name, List.of(subnet.gatewayCidr()), true));
        return this;
    }

    public FakeNetworkDriver withTap(String name, String bridge) {
        taps.put(name, new TapLink(name, Optional.of(bridge), Optional.of("0"), true));
        return this;
    }

    /** Names of the links deleted, in order. */
    public List<String> deleted() {
        return List.copyOf(deleted);
    }

    @Override
    public void ensureBridge(String name, Ipv4Cidr subnet) {
        withBridge(name, subnet);
    }

    @Override
    public Optional<BridgeLink> bridge(String name) {
        return Optional.ofNullable(bridges.get(name));
    }

    @Override
    public void deleteBridge(String name) {
        if (bridges.remove(name) != null) {
            deleted.add(name);
        }
    }

    @Override
    public void ensureTap(String name, String bridge, int ownerUid) {
        withTap(name, bridge);
    }

    @Override
    public void deleteTap(String name) {
        if (taps.remove(name) != null) {
            deleted.add(name);
        }
    }

    @Override
    public List<TapLink> listTaps() {
        return new ArrayList<>(taps.values());
    }

    @Override
    public List<UsedNetwork> usedNetworks() {
        return List.of();
    }
}
