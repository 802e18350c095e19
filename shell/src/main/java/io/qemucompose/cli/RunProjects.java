package io.qemucompose.cli;

import io.qemucompose.driver.Drivers;
import io.qemucompose.spec.ComposeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * The one-off projects {@code run} makes: one folder per VM, {@code <data>/qemu-compose/run/<vm>/},
 * holding the one-VM compose file {@code run} wrote. Commands that name such a VM find its project
 * from any folder without a compose file ({@code ps qvm-1a2b3c}, {@code destroy qvm-1a2b3c}).
 */
public final class RunProjects {

    public static final String COMPOSE_FILE = ComposeFiles.DEFAULT_NAMES.getFirst();

    private RunProjects() {
    }

    /** {@code $XDG_DATA_HOME/qemu-compose/run}, beside the image cache. */
    public static Path dir(Map<String, String> env) {
        Path home = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")));
        return Drivers.imageCacheDir(env, home).resolveSibling("run");
    }

    /** The compose file of the VM {@code run} started under this name, if there is one. */
    public static Optional<Path> composeFile(Map<String, String> env, String vm) {
        if (vm.isEmpty() || vm.contains("/") || vm.startsWith(".")) {
            return Optional.empty();
        }
        Path file = dir(env).resolve(vm).resolve(COMPOSE_FILE);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /** Whether a project folder is one that {@code run} made. */
    public static boolean isRunProject(Map<String, String> env, Path projectDir) {
        Path dir = projectDir.toAbsolutePath().normalize();
        return dir.getParent() != null && dir.getParent().equals(dir(env).toAbsolutePath().normalize());
    }

    /** Deletes a one-off project folder and everything in it. */
    public static void remove(Path projectDir) throws IOException {
        if (!Files.exists(projectDir)) {
            return;
        }
        try (var paths = Files.walk(projectDir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
