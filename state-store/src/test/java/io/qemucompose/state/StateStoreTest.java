package io.qemucompose.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {

    @TempDir
    Path project;

    @Test
    void readsEmptyStateWhenProjectHasNone() {
        assertThat(new StateStore(new ProjectLayout(project)).read()).isEqualTo(ProjectState.empty());
    }

    @Test
    void updateRoundTripsEveryRecordThroughJson() {
        StateStore store = new StateStore(new ProjectLayout(project));
        Instant at = Instant.parse("2026-11-21T10:15:30Z");
        store.update(s -> s.withVm("web", ProjectState.VmRecord.created(at).withSshPort(2222)
                        .withInstanceId("qc-abc").withAppliedSpecHash("h1").withBaseImage("/img/base.qcow2")
                        .withMacAddress("52:54:00:12:34:56"))
                .withNetwork("front", new ProjectState.NetworkRecord("172.16.3.0/24", "qc-front", at))
                .withVolume("data", new ProjectState.VolumeRecord("/x/data.qcow2", 1 << 30, at)));

        ProjectState read = new StateStore(new ProjectLayout(project)).read();

        assertThat(read.vm("web").orElseThrow().sshPort()).isEqualTo(2222);
        assertThat(read.vm("web").orElseThrow().macAddress()).isEqualTo("52:54:00:12:34:56");
        assertThat(read.vm("web").orElseThrow().createdAt()).isEqualTo(at);
        assertThat(read.network("front").orElseThrow().subnet()).isEqualTo("172.16.3.0/24");
        assertThat(read.volume("data").orElseThrow().sizeBytes()).isEqualTo(1L << 30);
        assertThat(read.schemaVersion()).isEqualTo(ProjectState.CURRENT_SCHEMA);
    }

    @Test
    void stateFromANewerSchemaIsRefusedWithAClearMessage() throws Exception {
        ProjectLayout layout = new ProjectLayout(project);
        Files.createDirectories(layout.stateDir());
        Files.writeString(layout.stateFile(), "{\"schemaVersion\": 99, \"vms\": {}}");

        assertThatThrownBy(() -> new StateStore(layout).read())
                .isInstanceOf(StateFileException.class)
                .hasMessageContaining("newer qemu-compose").hasMessageContaining("schema 99");
        assertThatThrownBy(() -> new StateStore(layout).update(s -> s.withoutVm("x")))
                .isInstanceOf(StateFileException.class);
        assertThat(Files.readString(layout.stateFile())).contains("99");
    }

    @Test
    void corruptStateIsReportedNotOverwritten() throws Exception {
        ProjectLayout layout = new ProjectLayout(project);
        Files.createDirectories(layout.stateDir());
        Files.writeString(layout.stateFile(), "{\"schemaVersion\": 1, \"vms\": ");

        assertThatThrownBy(() -> new StateStore(layout).update(s -> s))
                .isInstanceOf(StateFileException.class).hasMessageContaining("corrupt");
        assertThat(Files.readString(layout.stateFile())).endsWith("\"vms\": ");
    }

    /** Every shape of state.json an earlier qemu-compose wrote, oldest first (see StateMigrations). */
    @ParameterizedTest
    @ValueSource(strings = {"schema1-initial.json", "schema1-applied.json", "schema1-stopped-by-user.json"})
    void everyEarlierShapeOfTheStateFileIsReadAndMigrated(String fixture) throws Exception {
        ProjectLayout layout = new ProjectLayout(project);
        Files.createDirectories(layout.stateDir());
        try (var in = StateStoreTest.class.getResourceAsStream("/state/" + fixture)) {
            Files.write(layout.stateFile(), in.readAllBytes());
        }
        StateStore store = new StateStore(layout);

        ProjectState read = store.read();

        ProjectState.VmRecord web = read.vm("web").orElseThrow();
        assertThat(web.sshPort()).isEqualTo(2222);
        assertThat(web.createdAt()).isEqualTo(Instant.parse("2026-11-21T10:15:30Z"));
        assertThat(web.stoppedByUser()).isEqualTo(fixture.contains("stopped-by-user"));
        assertThat(web.applied()).isNotNull();
        assertThat(read.schemaVersion()).isEqualTo(ProjectState.CURRENT_SCHEMA);
        // and a change writes the current schema, which reads back the same
        store.update(s -> s.withVm("web", web.withSshPort(2300)));
        assertThat(Files.readString(layout.stateFile())).contains("\"schemaVersion\" : " + ProjectState.CURRENT_SCHEMA);
        assertThat(store.read().vm("web").orElseThrow().sshPort()).isEqualTo(2300);
        assertThat(store.read().vm("web").orElseThrow().stoppedByUser()).isEqualTo(web.stoppedByUser());
    }

    @Test
    void aStateFileLinkedToAnEndlessDeviceIsRefused() throws Exception {
        ProjectLayout layout = new ProjectLayout(project);
        Files.createDirectories(layout.stateDir());
        Files.createSymbolicLink(layout.stateFile(), Path.of("/dev/zero"));

        assertThatThrownBy(() -> new StateStore(layout).read())
                .isInstanceOf(StateFileException.class).hasMessageContaining("symbolic link");
    }

    @Test
    void aHugeStateFileIsRefusedBeforeItFillsTheHeap() throws Exception {
        ProjectLayout layout = new ProjectLayout(project);
        Files.createDirectories(layout.stateDir());
        try (var file = new java.io.RandomAccessFile(layout.stateFile().toFile(), "rw")) {
            file.setLength(StateStore.MAX_STATE_BYTES + (1 << 20)); // sparse: costs no disk
        }

        assertThatThrownBy(() -> new StateStore(layout).read())
                .isInstanceOf(StateFileException.class).hasMessageContaining("larger than 16 MiB");
    }

    @Test
    void threadsOfOneProcessLoseNoUpdate() throws Exception {
        StateStore store = new StateStore(new ProjectLayout(project));
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                String prefix = "t" + t;
                futures.add(pool.submit(() -> IntStream.range(0, 20).forEach(i ->
                        store.update(s -> s.withVm(prefix + "-" + i, ProjectState.VmRecord.created(Instant.EPOCH))))));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        assertThat(store.read().vms()).hasSize(8 * 20);
    }

    @Test
    void twoProcessesUpdatingConcurrentlyLoseNoUpdate() throws Exception {
        int each = 150;
        Process a = ChildJvm.start(StateWorkerMain.class, "update", project.toString(), "a", "" + each);
        Process b = ChildJvm.start(StateWorkerMain.class, "update", project.toString(), "b", "" + each);
        // and this process too, at the same time
        StateStore store = new StateStore(new ProjectLayout(project), Duration.ofSeconds(60));
        for (int i = 0; i < each; i++) {
            String name = "c-" + i;
            store.update(s -> s.withVm(name, ProjectState.VmRecord.created(Instant.EPOCH)));
        }
        assertThat(a.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(b.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(a.exitValue()).isZero();
        assertThat(b.exitValue()).isZero();

        assertThat(store.read().vms()).hasSize(3 * each)
                .containsKeys("a-0", "a-" + (each - 1), "b-0", "b-" + (each - 1), "c-0", "c-" + (each - 1));
    }

    @Test
    void lockHeldByAnotherProcessTimesOutNamingItsPid() throws Exception {
        Process holder = ChildJvm.start(StateWorkerMain.class, "hold", project.toString());
        try {
            var out = new BufferedReader(new InputStreamReader(holder.getInputStream()));
            assertThat(out.readLine()).isEqualTo("LOCKED");
            StateStore store = new StateStore(new ProjectLayout(project), Duration.ofMillis(300));

            assertThatThrownBy(() -> store.update(s -> s.withoutVm("x")))
                    .isInstanceOf(ProjectLockedException.class)
                    .hasMessageContaining("another qemu-compose (pid " + holder.pid() + ")");

            holder.getOutputStream().close();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // released on exit: the same call now succeeds
            assertThat(store.update(s -> s.withVm("x", ProjectState.VmRecord.created(Instant.EPOCH))).vms())
                    .containsKey("x");
        } finally {
            holder.destroy();
        }
    }

    @Test
    void lockIsReentrantWithinOneThread() {
        StateStore store = new StateStore(new ProjectLayout(project), Duration.ofMillis(200));
        try (ProjectLock.Held outer = store.lock()) {
            ProjectState after = store.update(s -> s.withVm("web", ProjectState.VmRecord.created(Instant.EPOCH)));
            assertThat(after.vms()).containsKey("web");
        }
    }

    @Test
    void anotherThreadWaitsForTheLockAndTimesOut() throws Exception {
        StateStore store = new StateStore(new ProjectLayout(project), Duration.ofMillis(200));
        try (ProjectLock.Held outer = store.lock()) {
            Future<?> other = Executors.newVirtualThreadPerTaskExecutor().submit(() -> store.update(s -> s));
            assertThatThrownBy(() -> other.get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(ProjectLockedException.class);
        }
    }
}
