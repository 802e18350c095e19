package io.qemucompose.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A VM's {@code env_file:}, as compose-go's loader reads it. */
class EnvFileTest {
    private static final String IMAGE = "https://example.org/debian.qcow2";
    @TempDir
    Path dir;

    private ComposeProject load(String vmFields, Map<String, String> env) throws Exception {
        Path file = dir.resolve("app/qemu-compose.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "vms:\n  web:\n    image: " + IMAGE + "\n" + vmFields);
        return new ComposeLoader(env).load(ComposeSource.of(file), Optional.empty());
    }

    private void envFile(String name, String text) throws Exception {
        Path file = dir.resolve("app").resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void aSingleFileFillsTheEnvironmentAndEnvironmentWins() throws Exception {
        envFile("web.env", "A=from-file\nB=\"two words\"\n# comment\nexport C=$HOME_DIR/x\n");

        ComposeProject project = load("    env_file: web.env\n    environment:\n      A: from-yaml\n",
                Map.of("HOME_DIR", "/h"));

        assertThat(project.vm("web").environment()).containsExactly(Map.entry("A", "from-yaml"),
                Map.entry("B", "two words"), Map.entry("C", "/h/x"));
    }

    @Test
    void laterFilesOverrideEarlierOnesAndPathsAreRelativeToTheComposeFile() throws Exception {
        envFile("conf/base.env", "A=1\nB=1\n");
        envFile("conf/local.env", "B=2\n");

        ComposeProject project = load("    env_file: [conf/base.env, ./conf/local.env]\n", Map.of());

        assertThat(project.vm("web").environment()).containsEntry("A", "1").containsEntry("B", "2");
    }

    @Test
    void aMissingFileIsAProblemAtItsEntry() throws Exception {
        assertThatThrownBy(() -> load("    env_file:\n      - missing.env\n", Map.of()))
                .isInstanceOf(ComposeFileException.class)
                .hasMessageContaining("qemu-compose.yaml:5:9: vms.web.env_file[0]: env file "
                        + dir.resolve("app/missing.env") + " not found");
    }

    @Test
    void anOptionalFileMayBeMissing() throws Exception {
        envFile("base.env", "A=1\n");

        ComposeProject project = load("""
                    env_file:
                      - path: base.env
                      - path: ./override.env
                        required: false
                """, Map.of());

        assertThat(project.vm("web").environment()).containsExactly(Map.entry("A", "1"));
    }

    @Test
    void aSyntaxErrorInTheFileNamesItsOwnLineAndColumn() throws Exception {
        envFile("web.env", "A=1\nB='unclosed\n");

        assertThatThrownBy(() -> load("    env_file: web.env\n", Map.of()))
                .hasMessageContaining(dir.resolve("app/web.env") + ":2:");
    }

    @Test
    void unknownKeysOfTheLongFormAreRefused() throws Exception {
        envFile("web.env", "A=1\n");

        assertThatThrownBy(() -> load("    env_file:\n      - {path: web.env, optional: true}\n", Map.of()))
                .hasMessageContaining("vms.web.env_file[0].optional: unknown key 'optional'");
    }

    @Test
    void keysNoVmCanExportAreRefused() throws Exception {
        envFile("web.env", "VAR-WITH-DASHES=1\n");

        assertThatThrownBy(() -> load("    env_file: web.env\n", Map.of()))
                .hasMessageContaining("qemu-compose.yaml:4:15: vms.web.env_file: ")
                .hasMessageContaining("defines 'VAR-WITH-DASHES'");
    }

    @Test
    void filesAreMergedAcrossComposeFilesByAppending() throws Exception {
        envFile("a.env", "A=1\n");
        envFile("b.env", "A=2\n");
        Path first = dir.resolve("app/qemu-compose.yaml");
        Files.writeString(first, "vms:\n  web:\n    image: " + IMAGE + "\n    env_file: [a.env]\n");
        Path second = dir.resolve("app/override.yaml");
        Files.writeString(second, "vms:\n  web:\n    env_file: [b.env]\n");

        ComposeProject project = new ComposeLoader(Map.of()).load(
                ComposeFiles.locate(List.of(first.toString(), second.toString()), Map.of(), dir), Optional.empty());

        assertThat(project.vm("web").environment()).containsEntry("A", "2");
    }
}
