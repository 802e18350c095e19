package io.qemucompose.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qemucompose.desired.DesiredState;
import io.qemucompose.desired.DesiredStates;
import io.qemucompose.golden.GoldenFile;
import io.qemucompose.observe.ObservedNetwork;
import io.qemucompose.observe.ObservedVm;
import io.qemucompose.observe.ObservedWorld;
import io.qemucompose.observe.UnitState;
import io.qemucompose.spec.ComposeFiles;
import io.qemucompose.spec.ComposeLoader;
import io.qemucompose.state.NetworkAllocations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Networks as a resource kind in the plan: golden text and JSON, ordering, refusals. Pure. */
class NetworkPlannerTest {

    private static final String IMAGE = "https://example.org/debian-12.qcow2";

    private static final String TWO_ON_FRONT = """
            vms:
              web:
                image: https://example.org/debian-12.qcow2
                networks: [front]
                depends_on: [db]
              db:
                image: https://example.org/debian-12.qcow2
                networks: [front]
            networks:
              front:
                driver: bridge
                subnet: auto
            """;

    @TempDir
    Path dir;

    private DesiredState desired(String yaml) throws Exception {
        Path file = dir.resolve("qemu-compose.yaml");
        Files.writeString(file, yaml);
        return DesiredStates.of(new ComposeLoader(Map.of())
                .load(ComposeFiles.locate(List.of(file.toString()), Map.of(), dir), Optional.of("shop")));
    }

    private static ObservedWorld world(boolean netAdmin, Map<String, ObservedNetwork> networks, ObservedVm... vms) {
        Map<String, ObservedVm> m = new LinkedHashMap<>();
        for (ObservedVm vm : vms) {
            m.put(vm.name(), vm);
        }
        return new ObservedWorld(m, Set.of(IMAGE), true, Map.of(), networks, netAdmin);
    }

    private static ObservedVm running(DesiredState d, String vm, int port) {
        return new ObservedVm(vm, true, true, UnitState.ACTIVE, d.vms().get(vm).fieldValues(), Optional.of(port));
    }

    private static ObservedNetwork front(String requested, boolean bridgeUp, UnitState dnsmasq) {
        return new ObservedNetwork("front", Optional.of(new NetworkAllocations.Network(requested, "172.16.0.0/24",
                "qc-shop-front", Instant.EPOCH, Map.of("db", "172.16.0.20", "web", "172.16.0.31"))), bridgeUp, dnsmasq,
                true);
    }

    private static void golden(String name, String actual) {
        GoldenFile.assertMatches(Path.of("src/test/resources/plan", name), actual);
    }

    /** Every golden is compared (or, in update mode, written) before the first difference fails the test. */
    private static void goldens(Map<String, String> files) {
        AssertionError first = null;
        for (var e : new java.util.TreeMap<>(files).entrySet()) {
            try {
                golden(e.getKey(), e.getValue());
            } catch (AssertionError error) {
                first = first == null ? error : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static List<String> ids(List<ActionId> ids) {
        return ids.stream().map(ActionId::toString).toList();
    }

    private static Action action(Plan plan, String id) {
        return plan.actions().stream().filter(a -> a.id().toString().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aNewNetworkIsCreatedBeforeItsVmsStart() throws Exception {
        DesiredState d = desired(TWO_ON_FRONT);
        Plan plan = Planner.plan(d, world(true, Map.of()), PlanOptions.running());
        goldens(Map.of("network-create.txt", PlanRenderer.text(plan), "network-create.json", PlanRenderer.json(plan)));
        assertThat(plan.toAdd()).isEqualTo(3);
        assertThat(ids(action(plan, "start:vm.web").dependsOn())).contains("ensure:network.front", "start:vm.db");
        assertThat(ids(action(plan, "start:vm.db").dependsOn())).contains("ensure:network.front");
    }

    @Test
    void withoutCapNetAdminThePlanIsRefusedBeforeAnythingIsCreated() throws Exception {
        DesiredState d = desired(TWO_ON_FRONT);
        assertThatThrownBy(() -> Planner.plan(d, world(false, Map.of()), PlanOptions.running()))
                .isInstanceOf(PlanRefusedException.class)
                .hasMessageContaining("bridge networks need CAP_NET_ADMIN")
                .hasMessageContaining("run qemu-compose as root");
    }

    @Test
    void aHealthyNetworkWithItsVmsRunningIsNoChange() throws Exception {
        DesiredState d = desired(TWO_ON_FRONT);
        Plan plan = Planner.plan(d, world(false, Map.of("front", front("auto", true, UnitState.ACTIVE)),
                running(d, "web", 2300), running(d, "db", 2301)), PlanOptions.running());
        assertThat(plan.hasChanges()).as("nothing to do needs no privileges").isFalse();
        assertThat(PlanRenderer.text(plan)).isEqualTo("No changes. The VMs match the compose file.\n");
    }

    @Test
    void aDeadDnsmasqOrAMissingBridgeRepairsOnlyTheNetwork() throws Exception {
        DesiredState d = desired(TWO_ON_FRONT);
        Plan plan = Planner.plan(d, world(true, Map.of("front", front("auto", true, UnitState.FAILED)),
                running(d, "web", 2300), running(d, "db", 2301)), PlanOptions.running());
        assertThat(plan.actions()).extracting(a -> a.id().toString()).containsExactly("ensure:network.front");
        assertThat(PlanRenderer.text(plan)).contains("# network.front will be updated in place (dnsmasq is not running)");
        Plan bridge = Planner.plan(d, world(true, Map.of("front", front("auto", false, UnitState.ACTIVE)),
                running(d, "web", 2300), running(d, "db", 2301)), PlanOptions.running());
        assertThat(PlanRenderer.text(bridge)).contains("(bridge qc-shop-front is missing or down)");
    }

    @Test
    void aChangedSubnetReplacesTheNetworkAndRestartsItsVms() throws Exception {
        DesiredState before = desired(TWO_ON_FRONT);
        ObservedVm web = running(before, "web", 2300);
        ObservedVm db = running(before, "db", 2301);
        DesiredState after = desired(TWO_ON_FRONT.replace("subnet: auto", "subnet: 10.77.0.0/24"));
        Plan plan = Planner.plan(after, world(true, Map.of("front", front("auto", true, UnitState.ACTIVE)), web, db),
                PlanOptions.running());
        golden("network-subnet-change.txt", PlanRenderer.text(plan));
        assertThat(ids(action(plan, "remove:network.front").dependsOn())).contains("stop:vm.web", "stop:vm.db");
        assertThat(ids(action(plan, "ensure:network.front").dependsOn())).containsExactly("remove:network.front");
        assertThat(ids(action(plan, "start:vm.web").dependsOn())).contains("ensure:network.front");
    }

    @Test
    void aSubnetChangeIsRefusedWhileAVmOnItKeepsRunning() throws Exception {
        DesiredState before = desired(TWO_ON_FRONT);
        DesiredState after = desired(TWO_ON_FRONT.replace("subnet: auto", "subnet: 10.77.0.0/24"));
        assertThatThrownBy(() -> Planner.plan(after, world(true, Map.of("front", front("auto", true, UnitState.ACTIVE)),
                running(before, "web", 2300), running(before, "db", 2301)), PlanOptions.running().withSelected(List.of("db"))))
                .hasMessageContaining("networks.front.subnet: network 'front' changes its subnet but VM 'web' uses it");
    }

    @Test
    void destroyRemovesTheNetworksAfterTheirVms() throws Exception {
        DesiredState d = desired(TWO_ON_FRONT);
        Plan plan = Planner.plan(d, world(true, Map.of("front", front("auto", true, UnitState.ACTIVE)),
                running(d, "web", 2300), running(d, "db", 2301)), PlanOptions.running().withIntent(Intent.ABSENT));
        golden("network-destroy.txt", PlanRenderer.text(plan));
        assertThat(ids(action(plan, "remove:network.front").dependsOn()))
                .contains("remove:vm.web", "remove:vm.db", "stop:vm.web", "stop:vm.db");
        Plan one = Planner.plan(d, world(true, Map.of("front", front("auto", true, UnitState.ACTIVE)),
                running(d, "web", 2300), running(d, "db", 2301)),
                PlanOptions.running().withIntent(Intent.ABSENT).withSelected(List.of("web")));
        assertThat(one.actions()).noneMatch(a -> a instanceof Action.RemoveNetwork);
    }

    @Test
    void aNetworkLeftOutOfTheFileIsAnOrphanUntilRemoveOrphans() throws Exception {
        DesiredState d = desired("""
                vms:
                  web:
                    image: https://example.org/debian-12.qcow2
                """);
        ObservedWorld w = world(true, Map.of("front", front("auto", true, UnitState.ACTIVE)));
        assertThat(PlanRenderer.text(Planner.plan(d, w, PlanOptions.running())))
                .contains("# network.front is orphaned (not in the compose file; run with --remove-orphans to remove it)");
        Plan remove = Planner.plan(d, w, PlanOptions.running().withRemoveOrphans(true));
        assertThat(remove.actions()).anyMatch(a -> a instanceof Action.RemoveNetwork r && r.network().equals("front"));
    }

    @Test
    void stoppingLeavesNetworksAlone() throws Exception {
        DesiredState d = desired(TWO_ON_FRONT);
        Plan plan = Planner.plan(d, world(false, Map.of("front", front("auto", true, UnitState.ACTIVE)),
                running(d, "web", 2300), running(d, "db", 2301)), PlanOptions.running().withIntent(Intent.STOPPED));
        assertThat(plan.actions()).allMatch(a -> a instanceof Action.StopVm);
    }
}
