package io.qemucompose.spec;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The YAML document after anchors, aliases and {@code <<} merge keys are resolved, before any
 * schema: every node remembers where it was written. Kept separate from SnakeYAML's nodes so
 * merging several files and checking the schema never lose a position.
 */
sealed interface SourceNode {
    Pos pos();

    /** 1-based line and column in {@code file}. */
    record Pos(Path file, int line, int column) {
        @Override
        public String toString() {
            return line + ":" + column;
        }
    }

    /** A key as written: its text and where it stands. */
    record Key(String text, Pos pos) {}

    record Entry(Key key, SourceNode value) {}

    /**
     * {@code reset} names the keys written {@code key: !reset ...} (dropped from what earlier files
     * said), {@code override} those written {@code key: !override ...} (replacing what earlier
     * files said instead of merging with it); both only matter when files are merged.
     */
    record MapNode(Pos pos, Map<String, Entry> entries, Set<String> reset, Set<String> override)
            implements SourceNode {
        public MapNode {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
            reset = Set.copyOf(reset);
            override = Set.copyOf(override);
        }

        public MapNode(Pos pos, Map<String, Entry> entries) {
            this(pos, entries, Set.of(), Set.of());
        }
    }

    record SeqNode(Pos pos, List<SourceNode> items) implements SourceNode {
        public SeqNode {
            items = List.copyOf(items);
        }
    }

    /** What the YAML 1.2 core schema made of a scalar. Interpolation may still change it. */
    enum Kind { STRING, INT, FLOAT, BOOL, NULL }

    /** {@code plain} is false for quoted and block scalars. */
    record Scalar(Pos pos, String text, Kind kind, boolean plain) implements SourceNode {}

    static String describe(SourceNode node) {
        return switch (node) {
            case MapNode m -> "a mapping";
            case SeqNode s -> "a list";
            case Scalar s when s.kind() == Kind.NULL -> "nothing (null)";
            case Scalar s -> "'" + s.text() + "'";
        };
    }
}
