package io.qemucompose.spec;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The compose file(s) cannot be used. Carries every problem found, not only the first; the
 * message renders them one per line, sorted by file and position.
 */
public final class ComposeFileException extends Exception {
    private final List<Problem> problems;

    public ComposeFileException(List<Problem> problems) {
        super(render(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ComposeFileException needs at least one problem");
        }
        this.problems = sorted(problems);
    }

    public ComposeFileException(Problem problem) {
        this(List.of(problem));
    }

    public List<Problem> problems() {
        return problems;
    }

    private static List<Problem> sorted(List<Problem> problems) {
        return problems.stream()
                .sorted(Comparator.comparing((Problem p) -> String.valueOf(p.file()))
                        .thenComparingInt(Problem::line)
                        .thenComparingInt(Problem::column))
                .distinct()
                .toList();
    }

    private static String render(List<Problem> problems) {
        return sorted(problems).stream().map(Problem::render).collect(Collectors.joining("\n"));
    }
}
