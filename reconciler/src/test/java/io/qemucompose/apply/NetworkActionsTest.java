package io.qemucompose.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.desired.DesiredStates;
import io.qemucompose.driver.Drivers;
import io.qemucompose.driver.image.ImageCache;
import io.qemucompose.driver.image.QemuImg;
import io.qemucompose.driver.kvm.Accelerator;
import io.qemucompose.driver.net.PortLeases;
import io.qemucompose.fakes.FakeNetworkDriver;
import io.qemucompose.fakes.FakeUnitManager;
import io.qemucompose.observe.ObservedNetwork;
import io.qemucompose.observe.WorldObserver;
import io.qemucompose.plan.Action;
import io.qemucompose.spec.ComposeLoader;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.ComposeSource;
import io.qemucompose.state.NetworkAllocations;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The network actions' check-then-act logic on in-memory bridges and units; the real thing runs in NetworksIT. */
class NetworkActionsTest {

    @TempDir
    Path dir;

    private final FakeUnitManager units = new FakeUnitManager();
    private final FakeNetworkDriver links = new FakeNetworkDriver().withRoute("172.16.0.0/24");

    private ComposeProject project(String vms) throws Exception {
        Files.writeString(dir.resolve("qemu-compose.yaml"), """
                networks:
                  back:
                    driver: bridge
                    subnet: auto
                vms:
                """ + vms);
        return new ComposeLoader(Map.of()).load(ComposeSource.of(dir.resolve("qemu-compose.yaml")), Optional.of("shop"));
    }

    private Drivers drivers() {
        return new Drivers(Map.of("QEMU_COMPOSE_DNSMASQ", "/bin/true"), new ImageCache(dir.resolve("cache")),
                new QemuImg(), new PortLeases(dir.resolve("registry")), () -> units, () -> Accelerator.TCG, () -> links);
    }

    private ApplyContext context(ComposeProject project, Drivers drivers) {
        ProjectLayout layout = new ProjectLayout(dir);
        return new ApplyContext(project, DesiredStates.of(project), layout, new StateStore(layout), drivers, line -> {},
                Duration.ofSeconds(1));
    }

    private static final String ONE = """
              db:
                image: https://example.org/debian-12.qcow2
                networks: [back]
            """;

    @Test
    void ensureIsIdempotentAndTheObserverThenSeesAHealthyNetwork() throws Exception {
        ComposeProject project = project(ONE);
        try (Drivers drivers = drivers()) {
            NetworkActions actions = new NetworkActions(context(project, drivers));
            actions.ensure(new Action.EnsureNetwork("back", List.of()));
            actions.ensure(new Action.EnsureNetwork("back", List.of()));
            assertThat(units.started()).as("dnsmasq started once").hasSize(1);
            NetworkAllocations.Network n = new NetworkAllocations(new ProjectLayout(dir)).read().network("back").orElseThrow();
            assertThat(n.subnet()).as("auto skips the routed /24").isEqualTo("172.16.1.0/24");
            assertThat(n.addresses()).containsOnlyKeys("db");
            ObservedNetwork seen = new WorldObserver(drivers).networks(project, new ProjectLayout(dir)).get("back");
            assertThat(seen.healthy()).as(seen.toString()).isTrue();
        }
    }

    @Test
    void aNewVmOnTheNetworkRewritesTheConfigAndRestartsDnsmasq() throws Exception {
        try (Drivers drivers = drivers()) {
            new NetworkActions(context(project(ONE), drivers)).ensure(new Action.EnsureNetwork("back", List.of()));
            ComposeProject two = project(ONE + """
                      web:
                        image: https://example.org/debian-12.qcow2
                        networks: [back]
                    """);
            ObservedNetwork stale = new WorldObserver(drivers).networks(two, new ProjectLayout(dir)).get("back");
            assertThat(stale.configCurrent()).as("the observer sees the new VM's reservation is missing").isFalse();
            new NetworkActions(context(two, drivers)).ensure(new Action.EnsureNetwork("back", List.of()));
            assertThat(units.started()).as("restarted with the new config").hasSize(2);
            assertThat(Files.readString(new ProjectLayout(dir).dnsmasqConfig("back"))).contains(",web\n");
        }
    }

    @Test
    void tapsFollowTheVmAndRemoveLeavesNothing() throws Exception {
        ComposeProject project = project(ONE);
        try (Drivers drivers = drivers()) {
            ApplyContext ctx = context(project, drivers);
            NetworkActions actions = new NetworkActions(ctx);
            actions.ensure(new Action.EnsureNetwork("back", List.of()));
            actions.attach(ctx.vm("db"));
            assertThat(links.taps()).hasSize(1);
            actions.detach("db", 1);
            assertThat(links.taps()).isEmpty();
            actions.attach(ctx.vm("db"));
            actions.remove(new Action.RemoveNetwork("back", List.of()));
            assertThat(links.taps()).as("TAPs on the bridge go with it").isEmpty();
            assertThat(links.bridge("qc-shop-back")).isEmpty();
            assertThat(units.listUnits("qemu-compose-dnsmasq-")).isEmpty();
            assertThat(Files.exists(new ProjectLayout(dir).networksJson())).isFalse();
            assertThat(drivers.subnets().find(dir, "back")).isEmpty();
        }
    }
}
