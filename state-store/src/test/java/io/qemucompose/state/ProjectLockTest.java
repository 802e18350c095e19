package io.qemucompose.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectLockTest {

    @TempDir
    Path tmp;

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aLockLeftByAKilledProcessIsFreeAtOnceAndItsPidIsReplaced() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("proj"));
        ProjectLayout layout = new ProjectLayout(project);
        Process holder = ChildJvm.start(StateWorkerMain.class, "hold", project.toString());
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream())).readLine();
            assertThat(line).isEqualTo("LOCKED");
            assertThatThrownBy(() -> new StateStore(layout, Duration.ofMillis(200)).lock())
                    .isInstanceOf(ProjectLockedException.class)
                    .hasMessageContaining("pid " + holder.pid());
        } finally {
            holder.destroyForcibly(); // SIGKILL: no shutdown hook, no unlock, the lock file stays
            holder.waitFor();
        }
        assertThat(Files.readString(layout.stateDir().resolve("lock"))).startsWith(holder.pid() + "\n");

        try (ProjectLock.Held ignored = new StateStore(layout, Duration.ofSeconds(2)).lock()) {
            assertThat(Files.readString(layout.stateDir().resolve("lock")).lines().findFirst())
                    .hasValue(Long.toString(ProcessHandle.current().pid()));
        }
    }

    @Test
    void aLockFileLinkedToAUsersFileIsRefusedAndTheFileLeftAlone() throws Exception {
        ProjectLayout layout = new ProjectLayout(tmp.resolve("project"));
        Files.createDirectories(layout.stateDir());
        Path precious = Files.writeString(tmp.resolve("bashrc"), "export PATH=/usr/bin\n");
        Files.createSymbolicLink(layout.lockFile(), precious);

        assertThatThrownBy(() -> new StateStore(layout, Duration.ofSeconds(1)).lock())
                .isInstanceOf(StateFileException.class).hasMessageContaining("symbolic link");
        assertThat(precious).hasContent("export PATH=/usr/bin\n");
    }

    @Test
    void theLockFileIsNeverTruncated() throws Exception {
        ProjectLayout layout = new ProjectLayout(tmp.resolve("project"));
        Files.createDirectories(layout.stateDir());
        Files.writeString(layout.lockFile(), "99999999999999999999\nmore than a pid\n");

        try (ProjectLock.Held ignored = new StateStore(layout).lock()) {
            String text = Files.readString(layout.lockFile());
            assertThat(text.lines().findFirst()).contains(String.valueOf(ProcessHandle.current().pid()));
            assertThat(text).endsWith("more than a pid\n");
        }
    }

    @Test
    void aStateFolderThatIsALinkIsRefused() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(project.resolve(ProjectLayout.STATE_DIR), elsewhere);
        ProjectLayout layout = new ProjectLayout(project);

        assertThatThrownBy(() -> new StateStore(layout).lock())
                .isInstanceOf(StateFileException.class).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> new StateStore(layout).update(s -> s.withoutVm("x")))
                .isInstanceOf(StateFileException.class);
        try (var listing = Files.list(elsewhere)) {
            assertThat(listing).isEmpty();
        }
    }

    @Test
    void theStateFolderIsCreatedPrivateAndAnOpenOneIsTightened() throws Exception {
        ProjectLayout fresh = new ProjectLayout(tmp.resolve("fresh"));
        new StateStore(fresh).update(s -> s.withVm("web", ProjectState.VmRecord.created(java.time.Instant.EPOCH)));
        assertThat(mode(fresh.stateDir())).isEqualTo("rwx------");

        ProjectLayout open = new ProjectLayout(tmp.resolve("open"));
        Files.createDirectories(open.stateDir(), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(open.stateDir(), PosixFilePermissions.fromString("rwxr-xr-x"));
        try (ProjectLock.Held ignored = new StateStore(open).lock()) {
            assertThat(mode(open.stateDir())).isEqualTo("rwx------");
        }
        assertThat(mode(open.createStateDir())).isEqualTo("rwx------");
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }
}
