package io.qemucompose.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The compose files of one project, in merge order (later files merge over earlier ones), and the
 * project folder: the folder of the first file, against which relative paths are resolved.
 */
public record ComposeSource(List<Path> files, Path projectDir) {
    public ComposeSource {
        files = List.copyOf(files);
        Objects.requireNonNull(projectDir, "projectDir");
        if (files.isEmpty()) {
            throw new IllegalArgumentException("a compose source needs at least one file");
        }
    }

    /** One file; the project folder is its parent. */
    public static ComposeSource of(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        return new ComposeSource(List.of(absolute), absolute.getParent());
    }
}
