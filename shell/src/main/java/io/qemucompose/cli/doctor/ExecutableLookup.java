package io.qemucompose.cli.doctor;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds programs the way a shell would, on $PATH, plus the sbin folders: dnsmasq and ip live in
 * /usr/sbin, which a non-root user's PATH often lacks although they run fine from there.
 */
public final class ExecutableLookup {

    private final List<Path> directories;

    public ExecutableLookup(Map<String, String> env) {
        var dirs = new ArrayList<Path>();
        String path = env.getOrDefault("PATH", "");
        for (String entry : path.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                dirs.add(Path.of(entry));
            }
        }
        for (String sbin : List.of("/usr/local/sbin", "/usr/sbin", "/sbin")) {
            Path dir = Path.of(sbin);
            if (!dirs.contains(dir)) {
                dirs.add(dir);
            }
        }
        this.directories = List.copyOf(dirs);
    }

    public Optional<Path> find(String program) {
        for (Path dir : directories) {
            Path candidate = dir.resolve(program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
