package io.qemucompose.spec;

import io.qemucompose.state.ProjectLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the compose files, as docker compose does: the {@code -f} flags (repeatable, later files
 * merge over earlier ones), else {@code QEMU_COMPOSE_FILE} (several paths separated by ':', like
 * docker's COMPOSE_FILE on Linux), else {@code qemu-compose.yaml} then {@code qemu-compose.yml}
 * in the current folder. Relative paths are taken against {@code cwd}. The project folder is the
 * first file's folder. The reconciler's own {@code .qemu-compose/launched.yaml} (VMs added by
 * {@code launch}), when it exists, is merged last.
 */
public final class ComposeFiles {
    public static final String ENV_FILE = "QEMU_COMPOSE_FILE";
    public static final List<String> DEFAULT_NAMES = List.of("qemu-compose.yaml", "qemu-compose.yml");

    private ComposeFiles() {}

    public static ComposeSource locate(List<String> fileFlags, Map<String, String> env, Path cwd)
            throws ComposeFileException {
        List<String> named = new ArrayList<>(fileFlags);
        if (named.isEmpty()) {
            String fromEnv = env.get(ENV_FILE);
            if (fromEnv != null && !fromEnv.isBlank()) {
                for (String part : fromEnv.split(":")) {
                    if (!part.isBlank()) {
                        named.add(part);
                    }
                }
            }
        }
        List<Path> files = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        if (named.isEmpty()) {
            for (String candidate : DEFAULT_NAMES) {
                Path path = cwd.resolve(candidate).toAbsolutePath().normalize();
                if (Files.isRegularFile(path)) {
                    files.add(path);
                    break;
                }
            }
            if (files.isEmpty()) {
                throw new ComposeFileException(new Problem(cwd, 0, 0, "",
                        "no qemu-compose.yaml or qemu-compose.yml here; name a file with -f or "
                                + ENV_FILE));
            }
        } else {
            for (String name : named) {
                Path path = cwd.resolve(name).toAbsolutePath().normalize();
                if (!Files.isRegularFile(path)) {
                    problems.add(new Problem(path, 0, 0, "", Files.exists(path)
                            ? "is not a regular file" : "compose file not found"));
                } else {
                    files.add(path);
                }
            }
            if (!problems.isEmpty()) {
                throw new ComposeFileException(problems);
            }
        }
        Path projectDir = files.getFirst().getParent();
        // the VMs `launch` added (the API's POST /vms) are part of the desired state for every command
        Path launched = new ProjectLayout(projectDir).launchedVmsFile();
        if (Files.isRegularFile(launched) && !files.contains(launched)) {
            files.add(launched);
        }
        return new ComposeSource(files, projectDir);
    }
}
