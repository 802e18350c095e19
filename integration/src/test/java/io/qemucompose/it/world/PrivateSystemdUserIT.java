package io.qemucompose.it.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.systemd.TransientUnit;
import io.qemucompose.driver.systemd.UnitStatus;
import io.qemucompose.testkit.Commands;
import io.qemucompose.testkit.PrivateSystemdUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The fixture itself: managers started side by side stay apart and leave nothing behind. */
class PrivateSystemdUserIT {

    private static final Path RUN_SYSTEMD_SYSTEM = Path.of("/run/systemd/system");

    @Test
    void twoManagersStartedTogetherKeepTheirUnitsApartAndLeaveNothingBehind() throws Exception {
        boolean runSystemdExisted = Files.isDirectory(RUN_SYSTEMD_SYSTEM);
        String unit = "qct-same-name.service";
        var first = new PrivateSystemdUser();
        var second = new PrivateSystemdUser();
        try (var starter = Executors.newVirtualThreadPerTaskExecutor()) {
            var a = starter.submit(first::start);
            var b = starter.submit(second::start);
            a.get();
            b.get();
        }
        List<Path> firstCgroups = first.cgroupDirs();
        Path firstRuntime = first.runtimeDir();
        long firstManager = first.managerPid();
        List<Path> secondCgroups = second.cgroupDirs();
        try (second) {
            assertThat(first.busAddress()).isNotEqualTo(second.busAddress());
            long secondPid;
            try (var a = first.connect(); var b = second.connect()) {
                a.startTransientUnit(TransientUnit.service(unit, List.of("/bin/sleep", "300")).build());
                b.startTransientUnit(TransientUnit.service(unit, List.of("/bin/sleep", "300")).build());
                long firstPid = a.awaitState(unit, UnitStatus::isActive, Duration.ofSeconds(30)).mainPid();
                secondPid = b.awaitState(unit, UnitStatus::isActive, Duration.ofSeconds(30)).mainPid();
                assertThat(firstPid).isNotEqualTo(secondPid);
            }

            first.close(); // stops the first manager and its unit only

            assertThat(ProcessHandle.of(firstManager).filter(ProcessHandle::isAlive)).isEmpty();
            assertThat(firstCgroups).allSatisfy(dir -> assertThat(dir).doesNotExist());
            assertThat(firstRuntime).doesNotExist();
            try (var b = second.connect()) {
                UnitStatus survivor = b.unit(unit);
                assertThat(survivor.isActive()).as("unit of the other manager: %s", survivor).isTrue();
                assertThat(survivor.mainPid()).isEqualTo(secondPid);
            }
            assertThat(ProcessHandle.of(secondPid).filter(ProcessHandle::isAlive)).isPresent();
        } finally {
            first.close();
        }
        assertThat(secondCgroups).isNotEmpty().allSatisfy(dir -> assertThat(dir).doesNotExist());
        assertThat(Files.isDirectory(RUN_SYSTEMD_SYSTEM)).isEqualTo(runSystemdExisted);
    }

    @Test
    void withJournalAUnitsOutputIsInItsOwnJournaldUnderTheUserUnitAndTheHostsRunIsUntouched() throws Exception {
        boolean hostJournal = Files.exists(Path.of("/run/systemd/journal/stdout"));
        boolean runSystemdExisted = Files.isDirectory(RUN_SYSTEMD_SYSTEM);
        String unit = "qct-journal.service";
        var systemd = new PrivateSystemdUser().withJournal();
        long journald;
        List<Path> cgroups;
        try (systemd) {
            systemd.start();
            journald = systemd.journaldPid();
            cgroups = systemd.cgroupDirs();
            assertThat(cgroups).allSatisfy(dir -> assertThat(dir.getFileName().toString()).matches("user@\\d+\\.service"));
            try (var manager = systemd.connect()) {
                // the sender lives on: journald reads the unit from the sender's /proc entry
                manager.startTransientUnit(TransientUnit.service(unit, List.of("/usr/bin/systemd-cat", "--identifier=qct",
                        "/bin/sh", "-c", "echo hello from the unit; exec sleep 300")).build());
                manager.awaitState(unit, UnitStatus::isActive, Duration.ofSeconds(30));
            }
            try {
                Commands.awaitCondition("the unit's line in its journal", Duration.ofSeconds(30), Duration.ofMillis(100),
                        () -> Commands.run(systemd.journalctl(unit, "-o", "cat")).stdout().contains("hello from the unit"));
            } catch (IllegalStateException e) {
                throw new AssertionError(e.getMessage() + "; the journal has:\n"
                        + Commands.run(systemd.enter(List.of("journalctl", "--no-pager", "-o", "verbose", "-n", "30"))), e);
            }
            assertThat(Path.of("/proc/" + journald + "/root/run/systemd/journal/stdout")).exists();
            assertThat(Files.exists(Path.of("/run/systemd/journal/stdout"))).as("the host's /run").isEqualTo(hostJournal);
        }
        assertThat(ProcessHandle.of(journald).filter(ProcessHandle::isAlive)).as("journald stopped by PID").isEmpty();
        assertThat(cgroups).allSatisfy(dir -> assertThat(dir.getParent()).doesNotExist());
        assertThat(Files.isDirectory(RUN_SYSTEMD_SYSTEM)).isEqualTo(runSystemdExisted);
    }
}
