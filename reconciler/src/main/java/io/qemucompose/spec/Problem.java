package io.qemucompose.spec;

import java.nio.file.Path;

/**
 * One thing wrong with a compose file. {@code line} and {@code column} are 1-based (0 when the
 * problem has no position, e.g. a missing file). {@code fieldPath} reads like
 * {@code vms.web.volumes[2].target}; empty for problems of the document as a whole.
 */
public record Problem(Path file, int line, int column, String fieldPath, String message) {

    /** {@code file:line:col: vms.web.volumes[2].target: found 'x', expected an absolute path}. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append(file == null ? "<unknown>" : file.toString());
        if (line > 0) {
            out.append(':').append(line).append(':').append(column);
        }
        out.append(": ");
        if (fieldPath != null && !fieldPath.isEmpty()) {
            out.append(fieldPath).append(": ");
        }
        return out.append(message).toString();
    }

    @Override
    public String toString() {
        return render();
    }
}
