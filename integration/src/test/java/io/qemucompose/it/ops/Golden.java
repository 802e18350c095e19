package io.qemucompose.it.ops;

import io.qemucompose.testkit.GoldenFile;
import io.qemucompose.testkit.GuestImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Golden files under integration/src/test/resources/golden/ops/; {@code -Dgolden.update=true}
 * rewrites them (and fails: re-run without it). Variable parts (folders, ports) are replaced by placeholders first.
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
        GoldenFile.assertMatches(GuestImage.repoRoot().resolve("integration/src/test/resources/golden/ops").resolve(name),
                normalize(actual));
    }
}
