package io.qemucompose.spec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever the bytes, loading ends in a project or a {@link ComposeFileException}, quickly: no
 * other exception, no stack overflow, no hang. Inputs are generated YAML trees (with anchors,
 * aliases, merge keys and tags) and byte-level mutations of the examples. Each try has its own
 * deadline; tries are few enough that the whole class runs in well under 30 s.
 */
class LoaderFuzzTest {
    private static final Duration PER_TRY = Duration.ofSeconds(2);
    private static final List<String> KEYS = List.of("vms", "web", "db", "image", "cpu", "memory", "networks",
            "volumes", "environment", "ports", "depends_on", "healthcheck", "test", "restart", "x-a", "<<",
            "version", "name", "disk", "size", "source", "target", "condition");
    private static final List<String> SCALARS = List.of("https://example.org/d.qcow2", "2", "1G", "no", "yes",
            "${A:-1}", "$", "${", "~", "null", "[", "'", "\"", "8080:80", "./x:/y", "-1", "0x10", "*a", "&a x",
            "!reset", "!override", "{", "}", ":", "- a", "\t", "é", "\u0000");
    private static ExecutorService executor;
    private static List<byte[]> examples;

    @BeforeContainer
    static void start() throws IOException {
        executor = Executors.newVirtualThreadPerTaskExecutor();
        try (Stream<Path> files = ExamplesTest.examples()) {
            examples = files.map(f -> {
                try {
                    return Files.readAllBytes(f);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }

    @AfterContainer
    static void stop() {
        executor.shutdownNow();
    }

    @Provide
    Arbitrary<String> yamlTrees() {
        return node(4).map(n -> n + "\n");
    }

    private Arbitrary<String> node(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(Arbitraries.of(SCALARS),
                Arbitraries.strings().ofMaxLength(12));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> child = Arbitraries.lazy(() -> node(depth - 1));
        Arbitrary<String> flowMap = Combinators.combine(Arbitraries.of(KEYS), child).as((k, v) -> k + ": " + v)
                .list().ofMaxSize(4).map(entries -> "{" + String.join(", ", entries) + "}");
        Arbitrary<String> flowSeq = child.list().ofMaxSize(4).map(items -> "[" + String.join(", ", items) + "]");
        Arbitrary<String> blockMap = Combinators.combine(Arbitraries.of(KEYS), child).as((k, v) -> k + ": " + v)
                .list().ofMinSize(1).ofMaxSize(4).map(entries -> "\n" + String.join("\n", entries)
                        .indent(2).stripTrailing());
        Arbitrary<String> anchored = Combinators.combine(Arbitraries.of("&a ", "&b ", "!reset ", "!override ", ""),
                Arbitraries.oneOf(flowMap, flowSeq, scalar)).as(String::concat);
        return Arbitraries.oneOf(scalar, flowMap, flowSeq, blockMap, anchored, Arbitraries.of("*a", "*b"));
    }

    @Provide
    Arbitrary<byte[]> mutatedExamples() {
        Arbitrary<Integer> which = Arbitraries.integers().between(0, examples.size() - 1);
        Arbitrary<List<int[]>> edits = Combinators.combine(Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, Integer.MAX_VALUE), Arbitraries.integers().between(0, 255))
                .as((kind, at, value) -> new int[] {kind, at, value}).list().ofMinSize(1).ofMaxSize(8);
        return Combinators.combine(which, edits).as((index, list) -> mutate(examples.get(index), list));
    }

    /** Each edit flips, inserts or deletes one byte. */
    private static byte[] mutate(byte[] original, List<int[]> edits) {
        byte[] bytes = original.clone();
        for (int[] edit : edits) {
            int at = bytes.length == 0 ? 0 : edit[1] % bytes.length;
            byte value = (byte) edit[2];
            bytes = switch (edit[0]) {
                case 0 -> {
                    if (bytes.length > 0) {
                        bytes[at] = value;
                    }
                    yield bytes;
                }
                case 1 -> {
                    byte[] longer = new byte[bytes.length + 1];
                    System.arraycopy(bytes, 0, longer, 0, at);
                    longer[at] = value;
                    System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                    yield longer;
                }
                default -> {
                    if (bytes.length == 0) {
                        yield bytes;
                    }
                    byte[] shorter = new byte[bytes.length - 1];
                    System.arraycopy(bytes, 0, shorter, 0, at);
                    System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
                    yield shorter;
                }
            };
        }
        return bytes;
    }

    @Property(tries = 400)
    void generatedTreesLoadOrFailWithPositions(@ForAll("yamlTrees") String yaml) throws Exception {
        loadsOrFailsCleanly(yaml.getBytes(UTF_8));
    }

    @Property(tries = 400)
    void mutatedExamplesLoadOrFailWithPositions(@ForAll("mutatedExamples") byte[] bytes) throws Exception {
        loadsOrFailsCleanly(bytes);
    }

    private static void loadsOrFailsCleanly(byte[] bytes) throws Exception {
        Path project = Files.createTempDirectory("fuzz");
        Path file = project.resolve("qemu-compose.yaml");
        Files.write(file, bytes);
        Future<Optional<ComposeFileException>> outcome = executor.submit(() -> {
            try {
                new ComposeLoader(Map.of("HOME", "/home/fuzz", "A", "1")).load(ComposeSource.of(file), Optional.empty());
                return Optional.empty();
            } catch (ComposeFileException e) {
                return Optional.of(e);
            }
        });
        try {
            Optional<ComposeFileException> failure = outcome.get(PER_TRY.toMillis(), TimeUnit.MILLISECONDS);
            failure.ifPresent(e -> assertThat(e.problems()).allSatisfy(p -> {
                assertThat(p.file()).isNotNull();
                assertThat(p.message()).isNotBlank();
            }));
        } catch (TimeoutException e) {
            outcome.cancel(true);
            throw new AssertionError("loading took longer than " + PER_TRY + ":\n" + new String(bytes,
                    UTF_8), e);
        } catch (ExecutionException e) {
            throw new AssertionError("loading threw " + e.getCause() + " for:\n" + new String(bytes,
                    UTF_8), e.getCause());
        } finally {
            try (Stream<Path> files = Files.list(project)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(project);
        }
    }
}
