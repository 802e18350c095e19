package io.qemucompose.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GraphExecutorTest {

    private final GraphExecutor executor = new GraphExecutor();

    @Test
    void independentBranchesRunAtTheSameTime() throws Exception {
        CyclicBarrier bothInFlight = new CyclicBarrier(2);
        ActionGraph<String> g = new ActionGraph<String>()
                .add("a", "a", List.of())
                .add("b", "b", List.of());
        GraphExecutor.Report report = executor.execute(g,
                p -> bothInFlight.await(5, TimeUnit.SECONDS), new GraphExecutor.Listener<>() {});
        assertThat(report.allSucceeded()).isTrue();
    }

    @Test
    void aNodeStartsOnlyAfterItsDependencies() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        ActionGraph<String> g = new ActionGraph<String>()
                .add("start", "start", List.of("overlay", "seed"))
                .add("overlay", "overlay", List.of("pull"))
                .add("seed", "seed", List.of())
                .add("pull", "pull", List.of());
        executor.execute(g, log::add, new GraphExecutor.Listener<>() {});
        assertThat(log).hasSize(4);
        assertThat(log.indexOf("start")).isGreaterThan(log.indexOf("overlay")).isGreaterThan(log.indexOf("pull"));
        assertThat(log.indexOf("start")).isGreaterThan(log.indexOf("seed"));
    }

    @Test
    void aFailureSkipsItsDependentsButNotUnrelatedBranches() throws Exception {
        ActionGraph<String> g = new ActionGraph<String>()
                .add("pull-web", "pull-web", List.of())
                .add("start-web", "start-web", List.of("pull-web"))
                .add("ready-web", "ready-web", List.of("start-web"))
                .add("start-db", "start-db", List.of());
        GraphExecutor.Report report = executor.execute(g, p -> {
            if (p.equals("pull-web")) {
                throw new IllegalStateException("404");
            }
        }, new GraphExecutor.Listener<>() {});
        assertThat(report.failed()).containsExactly("pull-web");
        assertThat(report.outcomes().get("start-web")).isEqualTo(new GraphExecutor.Outcome.Skipped("pull-web"));
        assertThat(report.outcomes().get("ready-web")).isEqualTo(new GraphExecutor.Outcome.Skipped("pull-web"));
        assertThat(report.outcomes().get("start-db")).isInstanceOf(GraphExecutor.Outcome.Succeeded.class);
        assertThat(report.outcomes().keySet()).containsExactly("pull-web", "start-web", "ready-web", "start-db");
    }

    @Test
    void dependenciesDeclaredDoneCountAsSatisfied() throws Exception {
        ActionGraph<String> g = new ActionGraph<String>().add("start", "start", List.of("already-there"))
                .declareDone("already-there");
        assertThat(executor.execute(g, p -> {}, new GraphExecutor.Listener<>() {}).allSucceeded()).isTrue();
    }

    @Test
    void aDependencyThatIsNeitherPlannedNorDoneIsRefusedBeforeAnythingRuns() {
        List<String> log = new CopyOnWriteArrayList<>();
        ActionGraph<String> g = new ActionGraph<String>().add("seed", "seed", List.of())
                .add("start", "start", List.of("seed", "overlya"));
        assertThatThrownBy(() -> executor.execute(g, log::add, new GraphExecutor.Listener<>() {}))
                .hasMessageContaining("start waits for overlya, which is neither in the graph nor declared done");
        assertThat(log).isEmpty();
    }

    @Test
    void cyclesAreRefusedBeforeAnythingRuns() {
        List<String> log = new CopyOnWriteArrayList<>();
        ActionGraph<String> g = new ActionGraph<String>()
                .add("a", "a", List.of("b"))
                .add("b", "b", List.of("a"));
        assertThatThrownBy(() -> executor.execute(g, log::add, new GraphExecutor.Listener<>() {}))
                .hasMessageContaining("cycle");
        assertThat(log).isEmpty();
    }
}
