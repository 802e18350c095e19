package io.qemucompose.driver.network;

import java.util.List;
import java.util.Optional;

/**
 * The project's namespace when its holder unit does not run (rootless mode): nothing of the
 * project's networks exists, so there is nothing to read or delete; making a link needs the
 * namespace first ({@code ensure:network} starts it).
 */
public final class AbsentNamespace implements NetworkDriver {

    public static final AbsentNamespace INSTANCE = new AbsentNamespace();

    private AbsentNamespace() {
    }

    @Override
    public void ensureBridge(String name, Ipv4Cidr subnet) {
        throw new IllegalStateException("the project's network namespace is not running; cannot make bridge " + name);
    }

    @Override
    public Optional<BridgeLink> bridge(String name) {
        return Optional.empty();
    }

    @Override
    public void deleteBridge(String name) {
    }

    @Override
    public void ensureTap(String name, String bridge, int ownerUid) {
        throw new IllegalStateException("the project's network namespace is not running; cannot make TAP " + name);
    }

    @Override
    public void deleteTap(String name) {
    }

    @Override
    public List<TapLink> listTaps() {
        return List.of();
    }

    @Override
    public List<UsedNetwork> usedNetworks() {
        return List.of();
    }
}
