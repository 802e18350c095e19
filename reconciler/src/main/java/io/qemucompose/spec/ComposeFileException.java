package io.qemucompose.spec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The compose file(s) cannot be used. Carries every problem found, not only the first; the
 * message renders them one per line, sorted by file and position. Of problems of the same kind
 * (the same message but for quoted values and numbers), the first {@value #SAME_KIND_SHOWN} are
 * kept, then one line says how many more there are: 100,000 duplicate keys are one mistake.
 */
public final class ComposeFileException extends Exception {
    static final int SAME_KIND_SHOWN = 20;
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
        List<Problem> all = problems.stream()
                .sorted(Comparator.comparing((Problem p) -> String.valueOf(p.file()))
                        .thenComparingInt(Problem::line)
                        .thenComparingInt(Problem::column))
                .distinct()
                .toList();
        Map<String, Integer> perKind = new HashMap<>();
        Map<String, Problem> firstLeftOut = new LinkedHashMap<>();
        List<Problem> shown = new ArrayList<>();
        for (Problem problem : all) {
            String kind = kind(problem);
            int seen = perKind.merge(kind, 1, Integer::sum);
            if (seen <= SAME_KIND_SHOWN) {
                shown.add(problem);
            } else {
                firstLeftOut.putIfAbsent(kind, problem);
            }
        }
        firstLeftOut.forEach((kind, first) -> shown.add(new Problem(first.file(), first.line(), first.column(), "",
                "… and " + (perKind.get(kind) - SAME_KIND_SHOWN) + " more problems like this ("
                        + first.message() + ")")));
        return List.copyOf(shown);
    }

    private static String kind(Problem problem) {
        return problem.message().replaceAll("'[^']*'", "'…'").replaceAll("\\d+", "#");
    }

    private static String render(List<Problem> problems) {
        return sorted(problems).stream().map(Problem::render).collect(Collectors.joining("\n"));
    }
}
