package io.qemucompose.spec;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads, merges, interpolates and validates compose files into a {@link ComposeProject}.
 *
 * <p>Pipeline: each file is composed by SnakeYAML Engine into a position-carrying tree (anchors,
 * {@code <<} merge keys and duplicate keys handled per file), later files are merged over earlier
 * ones, then one schema walk interpolates every scalar value and types it, collecting every
 * problem with its file, line, column and field path before anything is returned. We type the
 * values in that walk rather than handing a tree to a data binder, because only the walk still
 * knows where each value was written.
 *
 * <p>Variables come from {@code environment} (the process environment) and from a {@code .env}
 * file in the project folder; the environment wins, as in docker compose.
 */
public final class ComposeLoader {
    private final Map<String, String> environment;

    public ComposeLoader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /**
     * @param projectNameFlag the {@code -p} value; else top-level {@code name:}; else the project
     *     folder's name, normalized as docker compose does
     * @throws ComposeFileException carrying every problem found in the files
     */
    public ComposeProject load(ComposeSource source, Optional<String> projectNameFlag) throws ComposeFileException {
        Problems problems = new Problems();
        Map<String, String> variables = new HashMap<>(DotEnv.read(source.projectDir(), environment, problems));
        variables.putAll(environment);
        SourceNode merged = null;
        boolean unreadable = false;
        for (var file : source.files()) {
            int before = problems.size();
            Optional<SourceNode> document = YamlSource.read(file, problems);
            if (document.isEmpty()) {
                unreadable = true;
                if (problems.size() == before) {
                    problems.add(new Problem(file, 1, 1, "", "the file is empty, expected a mapping with 'vms:'"));
                }
            } else {
                merged = merged == null ? document.get() : FileMerge.merge(merged, document.get());
            }
        }
        if (unreadable) {
            problems.throwIfAny();
        }
        // Duplicate keys and bad merge sources leave a usable tree: walk it too, so the user
        // sees those problems together with the schema's.
        Fields fields = new Fields(problems, new Interpolation(variables::get));
        ComposeProject project = new ProjectReader(fields, source, variables).read(merged, projectNameFlag);
        problems.throwIfAny();
        return project;
    }
}
