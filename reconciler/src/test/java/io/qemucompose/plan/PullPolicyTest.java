package io.qemucompose.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qemucompose.desired.DesiredState;
import io.qemucompose.desired.DesiredStates;
import io.qemucompose.observe.ObservedWorld;
import io.qemucompose.spec.ComposeFiles;
import io.qemucompose.spec.ComposeLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --pull always|missing|never} as the plan shows it. */
class PullPolicyTest {
    private static final String IMAGE = "https://example.org/debian-12.qcow2";
    @TempDir
    Path dir;

    private DesiredState desired() throws Exception {
        Path file = dir.resolve("qemu-compose.yaml");
        Files.writeString(file, "vms:\n  web:\n    image: " + IMAGE + "\n");
        return DesiredStates.of(new ComposeLoader(Map.of())
                .load(ComposeFiles.locate(List.of(file.toString()), Map.of(), dir), Optional.of("demo")));
    }

    private static List<Action.PullImage> pulls(Plan plan) {
        return plan.actions().stream().filter(a -> a instanceof Action.PullImage).map(a -> (Action.PullImage) a).toList();
    }

    @Test
    void missingPullsOnlyWhatIsNotCached() throws Exception {
        ObservedWorld empty = new ObservedWorld(Map.of(), Set.of(), true);
        ObservedWorld cached = new ObservedWorld(Map.of(), Set.of(IMAGE), true);

        assertThat(pulls(Planner.plan(desired(), empty, PlanOptions.running())))
                .containsExactly(new Action.PullImage(IMAGE, false));
        assertThat(pulls(Planner.plan(desired(), cached, PlanOptions.running()))).isEmpty();
    }

    @Test
    void alwaysDownloadsAgainBeforeTheDiskIsCreated() throws Exception {
        ObservedWorld cached = new ObservedWorld(Map.of(), Set.of(IMAGE), true);

        Plan plan = Planner.plan(desired(), cached, PlanOptions.running().withPull(PullPolicy.ALWAYS));

        assertThat(pulls(plan)).containsExactly(new Action.PullImage(IMAGE, true));
        Action overlay = plan.actions().stream().filter(a -> a instanceof Action.CreateOverlay).findFirst().orElseThrow();
        assertThat(overlay.dependsOn()).contains(new Action.PullImage(IMAGE, true).id());
        assertThat(new Action.PullImage(IMAGE, true).describe()).endsWith("again (--pull always)");
    }

    @Test
    void neverRefusesADiskOnAnImageThatIsNotCached() throws Exception {
        ObservedWorld empty = new ObservedWorld(Map.of(), Set.of(), true);

        assertThatThrownBy(() -> Planner.plan(desired(), empty, PlanOptions.running().withPull(PullPolicy.NEVER)))
                .isInstanceOf(PlanRefusedException.class)
                .hasMessageContaining("vms.web.image: " + IMAGE + " is not in the image cache and --pull never forbids");
        ObservedWorld cached = new ObservedWorld(Map.of(), Set.of(IMAGE), true);
        assertThat(pulls(Planner.plan(desired(), cached, PlanOptions.running().withPull(PullPolicy.NEVER)))).isEmpty();
    }

    @Test
    void aSavedPlanKeepsItsPolicy() throws Exception {
        ObservedWorld cached = new ObservedWorld(Map.of(), Set.of(IMAGE), true);
        Plan plan = Planner.plan(desired(), cached, PlanOptions.running().withPull(PullPolicy.ALWAYS));

        PlanOptions back = PlanRenderer.optionsFrom(PlanRenderer.readJson(PlanRenderer.json(plan)));

        assertThat(back.pull()).isEqualTo(PullPolicy.ALWAYS);
        assertThat(PullPolicy.parse("never")).isEqualTo(PullPolicy.NEVER);
        assertThatThrownBy(() -> PullPolicy.parse("sometimes")).hasMessage("--pull takes always, missing or never, not 'sometimes'");
    }
}
