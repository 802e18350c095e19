package io.qemucompose.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.testkit.GuestImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Golden files under integration/src/test/resources/golden/ops/; {@code -Dgolden.update=true}
 * rewrites them. Variable parts (folders, ports) are replaced by placeholders first.
 */
final class Golden {

    private final Map<String, String> literals = new LinkedHashMap<>();
    private final Map<Pattern, String> patterns = new LinkedHashMap<>();

    Golden literal(String value, String placeholder) {
        literals.put(value, placeholder);
        return this;
    }

    Golden pattern(String regex, String replacement) {
        patterns.put(Pattern.compile(regex), replacement);
        return this;
    }

    String normalize(String text) {
        String out = text;
        for (var e : literals.entrySet()) {
            out = out.replace(e.getKey(), e.getValue());
        }
        for (var e : patterns.entrySet()) {
            out = e.getKey().matcher(out).replaceAll(e.getValue());
        }
        return out;
    }

    void assertMatches(String name, String actual) {
        Path file = GuestImage.repoRoot().resolve("integration/src/test/resources/golden/ops").resolve(name);
        String normalized = normalize(actual);
        try {
            if (Boolean.getBoolean("golden.update") || !Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, normalized);
                if (!Boolean.getBoolean("golden.update")) {
                    throw new AssertionError("golden file " + file + " was missing; written now — review and commit it");
                }
            }
            assertThat(normalized).as("golden " + name).isEqualTo(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
