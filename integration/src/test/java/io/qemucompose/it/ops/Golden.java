package io.qemucompose.it.ops;

import io.qemucompose.golden.GoldenFile;
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

    private final java.util.List<AssertionError> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Compares (or in update mode writes) one golden file. A difference is recorded, not thrown, so
     * every golden file of a step is compared and written in one run; {@link #throwIfAny()} (called
     * after each step) then fails the step with the first.
     */
    void assertMatches(String name, String actual) {
        try {
            GoldenFile.assertMatches(GuestImage.repoRoot().resolve("integration/src/test/resources/golden/ops")
                    .resolve(name), normalize(actual));
        } catch (AssertionError e) {
            failures.add(e);
        }
    }

    void throwIfAny() {
        if (!failures.isEmpty()) {
            AssertionError first = failures.getFirst();
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            failures.clear();
            throw first;
        }
    }
}
