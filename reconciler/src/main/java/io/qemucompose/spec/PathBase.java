package io.qemucompose.spec;

import io.qemucompose.spec.SourceNode.Pos;
import java.nio.file.Path;
import java.util.Set;

/**
 * The folder a relative path of the file(s) is resolved against, found from where it was written:
 * the project folder for every {@code -f} file (as docker compose, later files' paths are
 * relative to the first file's folder), and its own folder for a file read only because a VM
 * {@code extends:} a VM of it (as compose-go resolves the base service's paths).
 *
 * @param extendedFiles files read for {@code extends: {file: …}} that are not among the {@code -f} files
 */
record PathBase(Path projectDir, Set<Path> extendedFiles) {
    PathBase {
        extendedFiles = Set.copyOf(extendedFiles);
    }

    Path dirOf(Pos pos) {
        Path file = pos.file();
        return file != null && extendedFiles.contains(file) && file.getParent() != null ? file.getParent() : projectDir;
    }
}
