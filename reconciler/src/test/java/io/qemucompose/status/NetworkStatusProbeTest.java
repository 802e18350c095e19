package io.qemucompose.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.qemucompose.apply.NetworkInUseException;
import io.qemucompose.apply.Reconciler;
import io.qemucompose.driver.Drivers;
import io.qemucompose.driver.image.ImageCache;
import io.qemucompose.driver.image.QemuImg;
import io.qemucompose.driver.kvm.Accelerator;
import io.qemucompose.driver.net.PortLeases;
import io.qemucompose.driver.network.CapNetAdmin;
import io.qemucompose.driver.network.Ipv4Cidr;
import io.qemucompose.driver.systemd.ActiveState;
import io.qemucompose.fakes.FakeNetworkDriver;
import io.qemucompose.fakes.FakeUnitManager;
import io.qemucompose.observe.UnitState;
import io.qemucompose.spec.ComposeLoader;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.ComposeSource;
import io.qemucompose.state.NetworkAllocations;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.ProjectState;
import io.qemucompose.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code network ls} lists and when {@code network rm} may remove a network. */
class NetworkStatusProbeTest {

    private static final Ipv4Cidr FRONT = Ipv4Cidr.parse("10.9.8.0/24");

    @TempDir
    Path dir;

    private ComposeProject project;
    private ProjectLayout layout;

    @BeforeEach
    void project() throws Exception {
        Files.writeString(dir.resolve("qemu-compose.yaml"), """
                name: shop
                networks:
                  front: {driver: bridge, subnet: 10.9.8.0/24}
                  back: {driver: bridge, subnet: auto}
                vms:
                  web:
                    image: https://example.org/debian-12.qcow2
                    networks: [front]
                  db:
                    image: https://example.org/debian-12.qcow2
                    networks: [front, back]
                """);
        project = new ComposeLoader(Map.of()).load(ComposeSource.of(dir.resolve("qemu-compose.yaml")), Optional.empty());
        layout = new ProjectLayout(dir);
        new NetworkAllocations(layout).update(f -> f
                .with("front", new NetworkAllocations.Network("10.9.8.0/24", "10.9.8.0/24", "qc-shop-front",
                        Instant.EPOCH, Map.of("web", "10.9.8.7", "db", "10.9.8.8")))
                .with("gone", new NetworkAllocations.Network("auto", "172.16.3.0/24", "qc-shop-gone",
                        Instant.EPOCH, Map.of())));
    }

    private Drivers drivers(FakeUnitManager units, FakeNetworkDriver network) {
        return new Drivers(Map.of(), new ImageCache(dir.resolve("cache")), new QemuImg(),
                new PortLeases(dir.resolve("ports")), () -> units, () -> Accelerator.TCG, () -> network);
    }

    @Test
    void listsTheFilesNetworksThenRecordedOnesWithTheirVmsAndUnits() throws Exception {
        // "old" left the file but still runs, started on "gone"
        new StateStore(layout).update(s -> s.withVm("old", ProjectState.VmRecord.created(Instant.EPOCH)
                .withApplied(Map.of("networks", "gone (auto), front (10.9.8.0/24)"))));
        FakeUnitManager units = new FakeUnitManager()
                .with("qemu-compose-shop-web.service", ActiveState.ACTIVE)
                .with("qemu-compose-shop-old.service", ActiveState.ACTIVE)
                .with("qemu-compose-dnsmasq-shop-front.service", ActiveState.ACTIVE);
        try (Drivers drivers = drivers(units, new FakeNetworkDriver().withBridge("qc-shop-front", FRONT))) {
            List<NetworkStatus> rows = new NetworkStatusProbe(drivers).list(project);

            assertThat(rows).extracting(NetworkStatus::name).containsExactly("front", "back", "gone");
            NetworkStatus front = rows.get(0);
            assertThat(front.subnet()).contains("10.9.8.0/24");
            assertThat(front.bridgeUp()).isTrue();
            assertThat(front.dhcp()).contains(UnitState.ACTIVE);
            assertThat(front.vms()).containsExactly("web", "db");
            assertThat(front.running()).containsExactly("web", "old");
            NetworkStatus back = rows.get(1);
            assertThat(back.created()).isFalse();
            assertThat(back.requested()).contains("auto");
            assertThat(back.dhcp()).contains(UnitState.INACTIVE);
            NetworkStatus gone = rows.get(2);
            assertThat(gone.declared()).isFalse();
            assertThat(gone.bridgeUp()).isFalse();
            assertThat(gone.running()).containsExactly("old");
        }
    }

    @Test
    void withoutTheServiceManagerTheRecordedFactsAreStillListed() throws Exception {
        try (Drivers drivers = drivers(new FakeUnitManager().unreachable(), new FakeNetworkDriver())) {
            List<NetworkStatus> rows = new NetworkStatusProbe(drivers).list(project);

            assertThat(rows).extracting(NetworkStatus::name).containsExactly("front", "back", "gone");
            assertThat(rows.getFirst().subnet()).contains("10.9.8.0/24");
            assertThat(rows.getFirst().dhcp()).isEmpty();
        }
    }

    @Test
    void removalIsRefusedWhileARunningVmIsAttachedAndChangesNothing() throws Exception {
        FakeUnitManager units = new FakeUnitManager()
                .with("qemu-compose-shop-db.service", ActiveState.ACTIVE)
                .with("qemu-compose-dnsmasq-shop-front.service", ActiveState.ACTIVE);
        FakeNetworkDriver network = new FakeNetworkDriver().withBridge("qc-shop-front", FRONT);
        try (Drivers drivers = drivers(units, network)) {
            Reconciler reconciler = new Reconciler(project, drivers);

            assertThatThrownBy(() -> reconciler.removeNetwork("front", line -> {}))
                    .isInstanceOf(NetworkInUseException.class)
                    .hasMessage("network front is in use by running VM db; stop it first (qemu-compose stop db)");
            assertThat(new NetworkAllocations(layout).read().network("front")).isPresent();
            assertThat(network.deleted()).isEmpty();
            assertThat(reconciler.removeNetwork("nosuch", line -> {})).isFalse();
            assertThat(reconciler.removeNetwork("back", line -> {})).isFalse();
        }
    }

    @Test
    void removalStopsDnsmasqDeletesTheBridgeAndForgetsTheAllocation() throws Exception {
        assumeThat(CapNetAdmin.held()).as("removing a network needs CAP_NET_ADMIN, even with fake drivers").isTrue();
        FakeUnitManager units = new FakeUnitManager()
                .with("qemu-compose-shop-web.service", ActiveState.FAILED)
                .with("qemu-compose-dnsmasq-shop-front.service", ActiveState.ACTIVE);
        FakeNetworkDriver network = new FakeNetworkDriver().withBridge("qc-shop-front", FRONT)
                .withTap("tap-shop-web-0", "qc-shop-front");
        Files.createDirectories(layout.networkDir("front"));
        Files.writeString(layout.dhcpLeases("front"), "");
        try (Drivers drivers = drivers(units, network)) {
            List<String> progress = new ArrayList<>();

            assertThat(new Reconciler(project, drivers).removeNetwork("front", progress::add)).isTrue();

            assertThat(network.deleted()).containsExactly("tap-shop-web-0", "qc-shop-front");
            assertThat(units.unit("qemu-compose-dnsmasq-shop-front.service").isStopped()).isTrue();
            assertThat(new NetworkAllocations(layout).read().network("front")).isEmpty();
            assertThat(layout.networkDir("front")).doesNotExist();
            assertThat(progress).singleElement().asString().contains("removed bridge qc-shop-front");
        }
    }
}
