package io.qemucompose.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Hostile or broken YAML ends in one clear problem with a position, quickly. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class YamlLimitsTest {
    private static final String IMAGE = "https://example.org/debian.qcow2";
    @TempDir
    Path dir;

    private Path write(String text) throws Exception {
        Path file = dir.resolve("qemu-compose.yaml");
        Files.writeString(file, text);
        return file;
    }

    private ComposeProject load(Path file) throws ComposeFileException {
        return new ComposeLoader(Map.of()).load(ComposeSource.of(file), Optional.empty());
    }

    @Test
    void fiftyOneVmsMayShareOneAnchor() throws Exception {
        StringBuilder yaml = new StringBuilder("x-base: &base\n  image: " + IMAGE + "\n  cpu: 2\nvms:\n");
        for (int i = 0; i < 60; i++) {
            yaml.append("  vm").append(i).append(":\n    <<: *base\n");
        }

        ComposeProject project = load(write(yaml.toString()));

        assertThat(project.vms()).hasSize(60);
        assertThat(project.vm("vm59").cpu()).isEqualTo(2);
    }

    @Test
    void manyAliasesOfALargeScalarAreRefusedAtOnce() throws Exception {
        StringBuilder yaml = new StringBuilder("x-big: &big ").append("a".repeat(990_000)).append("\nx-uses: [");
        for (int i = 0; i < 2000; i++) {
            yaml.append(i == 0 ? "" : ", ").append("*big");
        }
        yaml.append("]\nvms:\n  web:\n    image: ").append(IMAGE).append('\n');
        Path file = write(yaml.toString());

        assertThatThrownBy(() -> load(file)).isInstanceOfSatisfying(ComposeFileException.class, e -> {
            assertThat(e.problems()).singleElement().satisfies(p -> {
                assertThat(p.line() + ":" + p.column() + " " + p.fieldPath()).isEqualTo("2:9 x-uses");
                assertThat(p.message()).contains("expand to more than " + YamlSource.MAX_EXPANDED_CHARS + " characters");
            });
        });
    }

    @Test
    void deepNestingIsOneProblemNotAStackOverflow() throws Exception {
        Path file = write("a: " + "[".repeat(1500) + "]".repeat(1500) + "\n");

        assertThatThrownBy(() -> load(file)).isInstanceOfSatisfying(ComposeFileException.class, e -> {
            assertThat(e.getMessage()).isEqualTo(file + ":1:203: found YAML nested deeper than 200 levels;"
                    + " a compose file needs a handful");
        });
    }

    @Test
    void deepBlockNestingToo() throws Exception {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            yaml.append(" ".repeat(i)).append("k:\n");
        }
        Path file = write(yaml.toString());

        assertThatThrownBy(() -> load(file)).isInstanceOfSatisfying(ComposeFileException.class, e ->
                assertThat(e.problems()).singleElement().satisfies(p -> {
                    assertThat(p.line()).isEqualTo(201);
                    assertThat(p.message()).contains("nested deeper than 200 levels");
                }));
    }

    @Test
    void aFileThatIsNotUtf8NamesTheFirstBadByte() throws Exception {
        Path file = dir.resolve("qemu-compose.yaml");
        byte[] head = ("vms:\n  web:\n    image: caf").getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[head.length + 2];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xE9;
        bytes[head.length + 1] = '\n';
        Files.write(file, bytes);

        assertThatThrownBy(() -> load(file)).hasMessage(file
                + ":3:15: is not valid UTF-8: found byte 0xE9; save the file as UTF-8");
    }

    @Test
    void aByteOrderMarkIsSkipped() throws Exception {
        Path file = write("\uFEFFvms:\n  web:\n    image: " + IMAGE + "\n");

        assertThat(load(file).vms()).containsOnlyKeys("web");
    }

    @Test
    void manyProblemsOfOneKindAreCappedWithACount() throws Exception {
        StringBuilder yaml = new StringBuilder("vms:\n  web:\n    image: " + IMAGE + "\nx-dup:\n");
        for (int i = 0; i < 100_000; i++) {
            yaml.append("  k: 1\n");
        }
        Path file = write(yaml.toString());

        assertThatThrownBy(() -> load(file)).isInstanceOfSatisfying(ComposeFileException.class, e -> {
            assertThat(e.getMessage().lines()).hasSize(ComposeFileException.SAME_KIND_SHOWN + 1);
            assertThat(e.getMessage().lines().toList().getLast()).isEqualTo(file
                    + ":26:3: … and 99979 more problems like this (duplicate key 'k' (first defined at 5:3))");
        });
    }
}
