package io.qemucompose.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.desired.DesiredState;
import io.qemucompose.desired.DesiredStates;
import io.qemucompose.observe.ObservedVm;
import io.qemucompose.observe.ObservedWorld;
import io.qemucompose.observe.UnitState;
import io.qemucompose.spec.ComposeFiles;
import io.qemucompose.spec.ComposeLoader;
import io.qemucompose.state.ProjectState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchSelectionTest {

    @TempDir
    Path dir;

    private DesiredState desired;
    private final Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final VmRetries retries = new VmRetries(RetryPolicy.defaults(), new Random(1));

    @BeforeEach
    void load() throws Exception {
        Path file = dir.resolve("qemu-compose.yaml");
        Files.writeString(file, """
                vms:
                  always:
                    image: https://example.org/debian-12.qcow2
                    memory: 512
                    restart: always
                  never:
                    image: https://example.org/debian-12.qcow2
                    memory: 512
                  fresh:
                    image: https://example.org/debian-12.qcow2
                    memory: 512
                """);
        desired = DesiredStates.of(new ComposeLoader(Map.of())
                .load(ComposeFiles.locate(List.of(file.toString()), Map.of(), dir), Optional.of("demo")));
    }

    private ObservedVm vm(String name, UnitState unit) {
        return new ObservedVm(name, true, true, unit, desired.vms().get(name).fieldValues(), Optional.of(2222));
    }

    private static ObservedWorld world(ObservedVm... vms) {
        Map<String, ObservedVm> m = new LinkedHashMap<>();
        for (ObservedVm v : vms) {
            m.put(v.name(), v);
        }
        return new ObservedWorld(m, Set.of(), true);
    }

    private ProjectState stoppedByUser(String... vms) {
        ProjectState s = ProjectState.empty();
        for (String vm : vms) {
            s = s.withVm(vm, ProjectState.VmRecord.created(now).withStoppedByUser(true));
        }
        return s;
    }

    @Test
    void deadVmsFollowTheirRestartPolicyAndNewVmsAreCreated() {
        var sel = WatchSelection.select(desired, world(vm("always", UnitState.INACTIVE), vm("never", UnitState.FAILED)),
                ProjectState.empty(), Map.of(), retries, now, false);
        assertThat(sel.reconcile()).containsExactly("always", "fresh");
        assertThat(sel.held()).containsOnlyKeys("never");
        assertThat(sel.held().get("never").reason()).isEqualTo("RestartPolicyNo");
        assertThat(WatchSelection.planSelection(sel, desired)).containsExactly("always", "fresh");
    }

    @Test
    void whenEverythingIsReconciledThePlanCoversAllVmsAndOrphans() {
        var sel = WatchSelection.select(desired, world(vm("always", UnitState.ACTIVE), vm("never", UnitState.ACTIVE),
                new ObservedVm("gone", true, true, UnitState.ACTIVE, Map.of(), Optional.of(2230))),
                ProjectState.empty(), Map.of(), retries, now, false);
        assertThat(sel.all(desired)).isTrue();
        assertThat(WatchSelection.planSelection(sel, desired)).isEmpty();
        assertThat(sel.orphans()).containsExactly("gone");
    }

    @Test
    void aPausedVmIsNotDriftAndIsLeftAlone() {
        var sel = WatchSelection.select(desired, world(vm("always", UnitState.ACTIVE), vm("never", UnitState.ACTIVE),
                vm("fresh", UnitState.ACTIVE)), ProjectState.empty(), Map.of(), retries, now, false, Set.of("always"));
        assertThat(sel.reconcile()).containsExactly("never", "fresh");
        assertThat(sel.held().get("always").reason()).isEqualTo("Paused");
        assertThat(sel.all(desired)).isFalse();
    }

    @Test
    void theWatcherDoesNotFightAUserStop() {
        var sel = WatchSelection.select(desired, world(vm("always", UnitState.INACTIVE), vm("never", UnitState.ACTIVE),
                vm("fresh", UnitState.ACTIVE)), stoppedByUser("always", "never"), Map.of(), retries, now, false);
        assertThat(sel.reconcile()).containsExactly("fresh");
        assertThat(sel.held().get("always").reason()).isEqualTo("StoppedByUser");
        // still running but being stopped right now: left alone too
        assertThat(sel.held().get("never").reason()).isEqualTo("StoppedByUser");
    }

    @Test
    void aFailingVmIsLeftAloneDuringItsBackoffWhileOthersConverge() {
        retries.failed("fresh", WatchSelection.fingerprint(desired.vms().get("fresh")), "qemu-img: boom", now);
        var sel = WatchSelection.select(desired, world(vm("always", UnitState.INACTIVE)), ProjectState.empty(),
                Map.of(), retries, now.plusMillis(500), false);
        assertThat(sel.reconcile()).containsExactly("always", "never");
        assertThat(sel.held().get("fresh").reason()).isEqualTo("BackingOff");
        var later = WatchSelection.select(desired, world(vm("always", UnitState.INACTIVE)), ProjectState.empty(),
                Map.of(), retries, now.plus(Duration.ofMinutes(1)), false);
        assertThat(later.reconcile()).contains("fresh");
    }
}
