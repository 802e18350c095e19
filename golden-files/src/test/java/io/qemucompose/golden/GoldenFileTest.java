package io.qemucompose.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldenFileTest {

    @TempDir
    Path dir;

    @Test
    void updateModeWritesTheFileAndStillFails() throws Exception {
        Path file = dir.resolve("plan.txt");
        Files.writeString(file, "old\n");

        assertThatThrownBy(() -> GoldenFile.assertMatches(file, "new\n", true))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("updated").hasMessageContaining("re-run without -Dgolden.update");
        assertThat(Files.readString(file)).isEqualTo("new\n");
        GoldenFile.assertMatches(file, "new\n", false);
    }

    @Test
    void updateModeFailsEvenWhenNothingChanged() throws Exception {
        Path file = dir.resolve("same.txt");
        Files.writeString(file, "same\n");

        assertThatThrownBy(() -> GoldenFile.assertMatches(file, "same\n", true)).isInstanceOf(AssertionError.class);
    }

    @Test
    void aMissingFileIsWrittenAndFails() {
        Path file = dir.resolve("sub/missing.txt");

        assertThatThrownBy(() -> GoldenFile.assertMatches(file, "x", false)).hasMessageContaining("was missing");
        assertThat(file).hasContent("x");
    }

    @Test
    void aDifferenceFailsAndLeavesTheFileAlone() throws Exception {
        Path file = dir.resolve("g.txt");
        Files.writeString(file, "expected");

        assertThatThrownBy(() -> GoldenFile.assertMatches(file, "actual", false)).hasMessageContaining("differs");
        assertThat(file).hasContent("expected");
    }
}
