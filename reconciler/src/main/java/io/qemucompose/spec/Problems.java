package io.qemucompose.spec;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem of a load so users see them all at once. */
final class Problems {
    private final List<Problem> found = new ArrayList<>();

    void add(SourceNode.Pos pos, String fieldPath, String message) {
        found.add(new Problem(pos.file(), pos.line(), pos.column(), fieldPath, message));
    }

    void add(Problem problem) {
        found.add(problem);
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    int size() {
        return found.size();
    }

    void throwIfAny() throws ComposeFileException {
        if (!found.isEmpty()) {
            throw new ComposeFileException(found);
        }
    }
}
