package io.qemucompose.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under resources/invalid/ starts with {@code # expect: LINE:COL PATH | FRAGMENT},
 * several expectations joined by {@code ||}; {@code <root>} stands for an empty field path. The
 * file must fail with exactly those problems: same position, same field path, message containing
 * the fragment — no more, no fewer.
 */
class InvalidCorpusTest {
    static final Map<String, String> ENV = Map.of("HOME", "/home/tester", "SET", "value", "EMPTY", "");

    record Expected(int line, int column, String fieldPath, String fragment) {
        static Expected parse(String text) {
            int bar = text.indexOf(" | ");
            String[] head = text.substring(0, bar).strip().split(" ", 2);
            String[] position = head[0].split(":");
            String path = head[1].equals("<root>") ? "" : head[1];
            return new Expected(Integer.parseInt(position[0]), Integer.parseInt(position[1]), path,
                    text.substring(bar + 3).strip());
        }

        boolean matches(Problem p) {
            return p.line() == line && p.column() == column && p.fieldPath().equals(fieldPath)
                    && p.message().contains(fragment);
        }
    }

    static Path corpus() throws URISyntaxException {
        return Path.of(InvalidCorpusTest.class.getResource("/invalid").toURI());
    }

    static Stream<Path> files() throws Exception {
        try (Stream<Path> files = Files.list(corpus())) {
            List<Path> all = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            assertThat(all).hasSizeGreaterThanOrEqualTo(60);
            return all.stream();
        }
    }

    static List<Expected> expectations(Path file) throws IOException {
        String first = Files.readAllLines(file).getFirst();
        assertThat(first).as("first line of " + file.getFileName()).startsWith("# expect: ");
        List<Expected> expected = new ArrayList<>();
        for (String part : first.substring("# expect: ".length()).split(" \\|\\| ")) {
            expected.add(Expected.parse(part));
        }
        return expected;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void reportsExactlyTheExpectedProblems(Path file) throws Exception {
        List<Expected> expected = expectations(file);
        try {
            new ComposeLoader(ENV).load(ComposeSource.of(file), Optional.empty());
            fail(file.getFileName() + " loaded without error");
        } catch (ComposeFileException e) {
            List<Problem> problems = e.problems();
            for (Expected want : expected) {
                assertThat(problems).as("problems of %s:\n%s", file.getFileName(), e.getMessage())
                        .anyMatch(want::matches);
            }
            assertThat(problems).as("problems of %s:\n%s", file.getFileName(), e.getMessage())
                    .hasSize(expected.size());
            for (Problem p : problems) {
                assertThat(p.file()).isEqualTo(file);
                assertThat(e.getMessage()).contains(p.render());
            }
        }
    }

    @Test
    void aFileWithSeveralErrorsReportsAllOfThemInOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("qemu-compose.yaml");
        Files.writeString(file, """
                vms:
                  web:
                    image: https://example.org/debian.qcow2
                    memroy: 2048
                    cpu: many
                    volumes:
                      - ./data:data
                    networks: [nowhere]
                    depends_on: [ghost]
                """);

        assertThatThrownBy(() -> new ComposeLoader(ENV).load(ComposeSource.of(file), Optional.empty()))
                .isInstanceOfSatisfying(ComposeFileException.class, e -> {
                    assertThat(e.problems()).extracting(p -> p.line() + ":" + p.column() + " " + p.fieldPath())
                            .containsExactly(
                                    "4:5 vms.web.memroy",
                                    "5:10 vms.web.cpu",
                                    "7:9 vms.web.volumes[0]",
                                    "8:16 vms.web.networks[0]",
                                    "9:18 vms.web.depends_on[0]");
                    assertThat(e.getMessage().lines()).hasSize(5);
                    assertThat(e.getMessage().lines().findFirst().orElseThrow()).isEqualTo(file
                            + ":4:5: vms.web.memroy: unknown key 'memroy' (did you mean 'memory'?); allowed here: "
                            + String.join(", ", VmReader.KEYS));
                });
    }
}
