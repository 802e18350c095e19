package io.qemucompose.spec;

import io.qemucompose.spec.SourceNode.Entry;
import io.qemucompose.spec.SourceNode.Kind;
import io.qemucompose.spec.SourceNode.MapNode;
import io.qemucompose.spec.SourceNode.Pos;
import io.qemucompose.spec.SourceNode.Scalar;
import io.qemucompose.spec.SourceNode.SeqNode;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reading of source nodes: each method either returns a value or records a problem at the
 * node's position and returns null, so a walk goes on and finds every problem of the file.
 * Scalar values are interpolated here, once, just before they are typed.
 */
final class Fields {
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");
    private final Problems problems;
    private final Interpolation interpolation;

    Fields(Problems problems, Interpolation interpolation) {
        this.problems = problems;
        this.interpolation = interpolation;
    }

    Problems problems() {
        return problems;
    }

    void problem(Pos pos, String path, String message) {
        problems.add(pos, path, message);
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static String index(String path, int i) {
        return path + "[" + i + "]";
    }

    static boolean isExtension(String key) {
        return key.startsWith("x-");
    }

    static boolean isNull(SourceNode node) {
        return node instanceof Scalar s && s.kind() == Kind.NULL;
    }

    MapNode map(SourceNode node, String path, String what) {
        if (node instanceof MapNode m) {
            return m;
        }
        problem(node.pos(), path, "found " + SourceNode.describe(node) + ", expected " + what);
        return null;
    }

    SeqNode list(SourceNode node, String path, String what) {
        if (node instanceof SeqNode s) {
            return s;
        }
        problem(node.pos(), path, "found " + SourceNode.describe(node) + ", expected " + what);
        return null;
    }

    /** Records every key of {@code map} not in {@code allowed} (x- keys are always allowed). */
    void onlyKeys(MapNode map, String path, List<String> allowed) {
        for (Entry entry : map.entries().values()) {
            String key = entry.key().text();
            if (!allowed.contains(key) && !isExtension(key)) {
                problem(entry.key().pos(), child(path, key), "unknown key '" + key + "'"
                        + Suggestions.didYouMean(key, allowed) + "; allowed here: " + String.join(", ", allowed));
            }
        }
    }

    /**
     * The entries of a mapping whose keys are names the user chose ({@code vms}, {@code networks},
     * {@code volumes}, {@code depends_on}): there, as in docker compose, {@code x-web} is a name
     * like any other, not an extension; extensions are only keys among a mapping's fields.
     */
    static List<Entry> entries(MapNode map) {
        return List.copyOf(map.entries().values());
    }

    static Optional<SourceNode> get(MapNode map, String key) {
        return Optional.ofNullable(map.entries().get(key)).map(Entry::value);
    }

    void required(MapNode map, String path, String key, String what) {
        if (!map.entries().containsKey(key)) {
            problem(map.pos(), child(path, key), "missing, expected " + what);
        }
    }

    /** The interpolated text of a non-null scalar. */
    String text(SourceNode node, String path, String what) {
        if (!(node instanceof Scalar s) || s.kind() == Kind.NULL) {
            problem(node.pos(), path, "found " + SourceNode.describe(node) + ", expected " + what);
            return null;
        }
        return interpolate(s, path);
    }

    /** Like {@link #text} but null scalars give null without a problem. */
    String optionalText(SourceNode node, String path, String what) {
        return isNull(node) ? null : text(node, path, what);
    }

    String interpolate(Scalar s, String path) {
        try {
            return interpolation.apply(s.text());
        } catch (Interpolation.Failure f) {
            boolean exact = s.plain() && s.text().indexOf('\n') < 0;
            Pos at = exact ? new Pos(s.pos().file(), s.pos().line(), s.pos().column() + f.offset()) : s.pos();
            problem(at, path, f.getMessage());
            return null;
        }
    }

    Integer integer(SourceNode node, String path, int min, int max, String what) {
        String text = text(node, path, what);
        if (text == null) {
            return null;
        }
        String trimmed = text.strip();
        if (!INTEGER.matcher(trimmed).matches()) {
            problem(node.pos(), path, "found '" + text + "', expected " + what);
            return null;
        }
        long value;
        try {
            value = Long.parseLong(trimmed);
        } catch (NumberFormatException e) {
            value = Long.MAX_VALUE;
        }
        if (value < min || value > max) {
            problem(node.pos(), path, "found " + trimmed + ", expected " + what + " between " + min + " and " + max);
            return null;
        }
        return (int) value;
    }

    /** YAML 1.2 booleans only: true/false (any case); 'yes', 'on' are refused on purpose. */
    Boolean bool(SourceNode node, String path) {
        String text = text(node, path, "true or false");
        if (text == null) {
            return null;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                problem(node.pos(), path, "found '" + text + "', expected true or false");
                yield null;
            }
        };
    }

    ByteSize size(SourceNode node, String path, ByteSize minimum) {
        String text = text(node, path, "a size such as 512M or 10G");
        if (text == null) {
            return null;
        }
        try {
            ByteSize size = ByteSize.parse(text);
            if (size.compareTo(minimum) < 0) {
                problem(node.pos(), path, "found '" + text + "', which is " + size.bytes()
                        + " bytes; expected at least " + minimum
                        + (text.strip().matches("\\d+") ? " (did you mean '" + text.strip() + "G'?)" : ""));
                return null;
            }
            return size;
        } catch (IllegalArgumentException e) {
            problem(node.pos(), path, e.getMessage());
            return null;
        }
    }

    /** docker compose durations: 1m30s, 10s, 500ms, 1h; a unit is required. */
    Duration duration(SourceNode node, String path) {
        String text = text(node, path, "a duration such as 30s or 1m30s");
        if (text == null) {
            return null;
        }
        Matcher m = DURATION_PART.matcher(text.strip());
        Duration total = Duration.ZERO;
        int at = 0;
        String stripped = text.strip();
        while (at < stripped.length() && m.find(at) && m.start() == at) {
            double amount = Double.parseDouble(m.group(1));
            long nanosPerUnit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            total = total.plusNanos(Math.round(amount * nanosPerUnit));
            at = m.end();
        }
        if (stripped.isEmpty() || at != stripped.length()) {
            problem(node.pos(), path, "found '" + text + "', expected a duration such as 30s, 1m30s or 500ms");
            return null;
        }
        return total;
    }

    /** One of {@code allowed}, with a suggestion when it is a near miss. */
    String oneOf(SourceNode node, String path, List<String> allowed) {
        String text = text(node, path, "one of " + String.join(", ", allowed));
        if (text == null) {
            return null;
        }
        if (!allowed.contains(text)) {
            problem(node.pos(), path, "found '" + text + "', expected one of " + String.join(", ", allowed)
                    + Suggestions.didYouMean(text, allowed));
            return null;
        }
        return text;
    }

    static <K, V> Map<K, V> nonNull(Map<K, V> map) {
        map.values().removeIf(java.util.Objects::isNull);
        return map;
    }
}
