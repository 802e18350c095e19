package io.qemucompose.spec;

import java.util.Map;
import java.util.Optional;

/**
 * Reads, merges, interpolates and validates compose files into a {@link ComposeProject}.
 * Variables come from {@code environment} (the process environment) and from a {@code .env} file
 * in the project folder; the environment wins, as in docker compose.
 */
public final class ComposeLoader {
    private final Map<String, String> environment;

    public ComposeLoader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /**
     * @param projectNameFlag the {@code -p} value; else the project folder's name, normalized
     * @throws ComposeFileException carrying every problem found in the files
     */
    public ComposeProject load(ComposeSource source, Optional<String> projectNameFlag) throws ComposeFileException {
        throw new UnsupportedOperationException("in progress");
    }
}
