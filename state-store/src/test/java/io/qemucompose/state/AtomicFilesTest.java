package io.qemucompose.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void replacesContentAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("sub/state.json");
        AtomicFiles.write(file, "one".getBytes());
        AtomicFiles.write(file, "two".getBytes());

        assertThat(Files.readString(file)).isEqualTo("two");
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("state.json");
        }
    }

    @Test
    void createsTheFileWithTheRequestedMode() throws Exception {
        Path key = dir.resolve("id_ed25519");
        AtomicFiles.write(key, "secret".getBytes(), PosixFilePermissions.fromString("rw-------"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    }

    @Test
    void aPlainWriteKeepsTheUsersUmask() throws Exception {
        assertThat(modeWrittenUnder("077")).isEqualTo("rw-------");
        assertThat(modeWrittenUnder("002")).isEqualTo("rw-rw-r--");
    }

    private String modeWrittenUnder(String umask) throws Exception {
        Path file = dir.resolve("umask-" + umask + ".json");
        Process child = ChildJvm.startWithUmask(umask, StateWorkerMain.class, "write", file.toString(), "{}");
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isZero();
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
