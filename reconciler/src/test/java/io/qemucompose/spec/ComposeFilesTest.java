package io.qemucompose.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComposeFilesTest {
    @TempDir
    Path dir;

    @Test
    void fileFlagsWinOverTheEnvironmentAndKeepTheirOrder() throws Exception {
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/base.yaml"), "vms: {}");
        Files.writeString(dir.resolve("override.yaml"), "vms: {}");

        ComposeSource source = ComposeFiles.locate(List.of("sub/base.yaml", "override.yaml"),
                Map.of(ComposeFiles.ENV_FILE, "nothing.yaml"), dir);

        assertThat(source.files()).containsExactly(dir.resolve("sub/base.yaml"), dir.resolve("override.yaml"));
        assertThat(source.projectDir()).isEqualTo(dir.resolve("sub"));
    }

    @Test
    void environmentVariableMayNameSeveralFilesSeparatedByColons() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), "vms: {}");
        Files.writeString(dir.resolve("b.yaml"), "vms: {}");

        ComposeSource source = ComposeFiles.locate(List.of(), Map.of(ComposeFiles.ENV_FILE, "a.yaml:b.yaml"), dir);

        assertThat(source.files()).containsExactly(dir.resolve("a.yaml"), dir.resolve("b.yaml"));
    }

    @Test
    void defaultsToYamlThenYml() throws Exception {
        Files.writeString(dir.resolve("qemu-compose.yml"), "vms: {}");
        assertThat(ComposeFiles.locate(List.of(), Map.of(), dir).files()).containsExactly(dir.resolve("qemu-compose.yml"));

        Files.writeString(dir.resolve("qemu-compose.yaml"), "vms: {}");
        assertThat(ComposeFiles.locate(List.of(), Map.of(), dir).files()).containsExactly(dir.resolve("qemu-compose.yaml"));
    }

    @Test
    void missingFilesAreAllNamed() {
        assertThatThrownBy(() -> ComposeFiles.locate(List.of("a.yaml", "b.yaml"), Map.of(), dir))
                .isInstanceOfSatisfying(ComposeFileException.class, e -> assertThat(e.problems())
                        .extracting(Problem::file).containsExactly(dir.resolve("a.yaml"), dir.resolve("b.yaml")));
        assertThatThrownBy(() -> ComposeFiles.locate(List.of(), Map.of(), dir))
                .hasMessageContaining("no qemu-compose.yaml or qemu-compose.yml here");
    }
}
