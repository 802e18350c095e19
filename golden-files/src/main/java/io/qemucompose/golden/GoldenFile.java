package io.qemucompose.golden;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.opentest4j.AssertionFailedError;

/** Golden files: expected output kept in a file under src/test/resources, compared exactly; -Dgolden.update=true rewrites it and fails (one helper for every module's tests). */
public final class GoldenFile {

    /** The system property that turns on update mode. */
    public static final String UPDATE_PROPERTY = "golden.update";

    private GoldenFile() {
    }

    /** {@link #assertMatches(Path, String, boolean)} in the mode {@code -Dgolden.update} chooses. */
    public static void assertMatches(Path file, String actual) {
        assertMatches(file, actual, Boolean.getBoolean(UPDATE_PROPERTY));
    }

    /**
     * Passes only when {@code file} holds exactly {@code actual}. In update mode, or when the file
     * is missing, writes {@code actual} there and fails anyway: a run that rewrote its own
     * expectation has compared nothing, so only the next run (without update mode) can pass.
     */
    public static void assertMatches(Path file, String actual, boolean update) {
        try {
            if (update || !Files.exists(file)) {
                boolean existed = Files.exists(file);
                String before = existed ? Files.readString(file, StandardCharsets.UTF_8) : null;
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, actual, StandardCharsets.UTF_8);
                throw new AssertionError(!existed
                        ? "golden file " + file + " was missing; written now: review and commit it, then re-run"
                        : actual.equals(before)
                                ? "golden file " + file + " is unchanged, but update mode compares nothing; re-run without -D"
                                        + UPDATE_PROPERTY
                                : "golden file " + file + " updated; review the diff and re-run without -D"
                                        + UPDATE_PROPERTY);
            }
            String expected = Files.readString(file, StandardCharsets.UTF_8);
            if (!expected.equals(actual)) {
                // the actual output beside the build, so a CI log can be followed up without a re-run
                Path seen = Path.of("target", "golden-actual").resolve(file.getFileName());
                Files.createDirectories(seen.getParent());
                Files.writeString(seen, actual, StandardCharsets.UTF_8);
                System.out.println("golden file " + file + " differs; actual output in " + seen.toAbsolutePath() + ":\n"
                        + actual);
                throw new AssertionFailedError("golden file " + file + " differs (update it with -D" + UPDATE_PROPERTY
                        + "=true and review the diff)", expected, actual);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use golden file " + file + ": " + e.getMessage(), e);
        }
    }
}
