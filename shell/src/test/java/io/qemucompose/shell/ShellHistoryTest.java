package io.qemucompose.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellHistoryTest {
    @TempDir
    Path tmp;

    @Test
    void historyGoesUnderXdgStateHome() {
        Path state = tmp.resolve("state");

        Path file = InteractiveShell.historyFile(Map.of("XDG_STATE_HOME", state.toString()), tmp.resolve("home"));

        assertThat(file).isEqualTo(state.resolve("qemu-compose/history.log"));
        assertThat(file.getParent()).isDirectory();
    }

    @Test
    void withoutXdgStateHomeItGoesUnderLocalStateOfTheHomeFolder() {
        Path home = tmp.resolve("home");

        Path file = InteractiveShell.historyFile(Map.of("XDG_STATE_HOME", "relative/ignored"), home);

        assertThat(file).isEqualTo(home.resolve(".local/state/qemu-compose/history.log"));
        assertThat(file).isAbsolute();
        assertThat(Files.isDirectory(home.resolve(".local/state/qemu-compose"))).isTrue();
    }
}
