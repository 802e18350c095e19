package io.qemucompose.spec;

import io.qemucompose.spec.SourceNode.Entry;
import io.qemucompose.spec.SourceNode.Key;
import io.qemucompose.spec.SourceNode.Kind;
import io.qemucompose.spec.SourceNode.MapNode;
import io.qemucompose.spec.SourceNode.Pos;
import io.qemucompose.spec.SourceNode.Scalar;
import io.qemucompose.spec.SourceNode.SeqNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.events.CollectionEndEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads one YAML file into {@link SourceNode} trees with SnakeYAML Engine's composer (YAML 1.2
 * core schema: {@code yes} and {@code 52:54:00:12:34:56} stay strings), one tree per YAML
 * document; as in docker compose, later documents of a file merge over earlier ones.
 *
 * <p>YAML 1.2 dropped merge keys, but compose files rely on {@code <<: *anchor}; we apply them
 * here as YAML 1.1 defined them: the value is a mapping or a list of mappings, keys written in
 * the mapping itself win, and among merged mappings the earlier one wins. SnakeYAML only refuses
 * duplicate keys when constructing Java objects, which we never do, so duplicates are found here
 * too, naming both positions.
 *
 * <p>Limits that keep a hostile or broken file from taking the process down, each reported with
 * a position: nesting deeper than {@value #MAX_DEPTH} levels (the composer recurses per level),
 * and aliases that expand to more than {@value #MAX_EXPANDED_NODES} nodes or
 * {@value #MAX_EXPANDED_CHARS} characters of scalars (the "billion laughs"). SnakeYAML's own
 * alias limit counts aliases instead, which refuses 51 VMs that each say {@code <<: *base}.
 */
final class YamlSource {
    static final int MAX_DEPTH = 200;
    static final long MAX_EXPANDED_NODES = 1_000_000;
    static final long MAX_EXPANDED_CHARS = 16L * 1024 * 1024;
    static final String RESET = "!reset";
    static final String OVERRIDE = "!override";
    private static final String MERGE_KEY = "<<";
    private final Path file;
    private final Problems problems;
    /** Aliased nodes are converted once; an alias to a node still being converted is a cycle. */
    private final Map<Node, SourceNode> converted = new IdentityHashMap<>();
    private final Map<Node, Boolean> inProgress = new IdentityHashMap<>();
    /** A recursive alias leaves nothing sensible to walk: stop after reading. */
    private boolean recursive;

    private YamlSource(Path file, Problems problems) {
        this.file = file;
        this.problems = problems;
    }

    /**
     * The documents of {@code file}, in order, without empty ones; empty when the file holds none
     * or could not be read (problems then say why).
     */
    static List<SourceNode> read(Path file, Problems problems) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            problems.add(new Problem(file, 0, 0, "", "cannot read: " + e.getMessage()));
            return List.of();
        }
        return Utf8Text.decode(file, bytes, problems).map(text -> parse(file, text, problems)).orElse(List.of());
    }

    static List<SourceNode> parse(Path file, String text, Problems problems) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file.toString())
                .setSchema(new CoreSchemaWithoutMerge())
                .setUseMarks(true)
                .setAllowNonScalarKeys(true) // refused by us, with a field path
                .setMaxAliasesForCollections(Integer.MAX_VALUE) // we bound the expanded size instead
                .build();
        List<Node> roots = new ArrayList<>();
        try {
            if (!nestingWithinLimit(file, body, settings, problems)) {
                return List.of();
            }
            for (Node root : new Compose(settings).composeAllFromString(body)) {
                roots.add(root);
            }
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
            int line = mark.map(m -> m.getLine() + 1).orElse(0);
            int column = mark.map(m -> m.getColumn() + 1).orElse(0);
            String context = e.getContext() == null || e.getContext().isBlank() ? "" : e.getContext() + ", ";
            String message = context + e.getProblem();
            problems.add(new Problem(file, line, column, "", "invalid YAML: " + message.strip()));
            return List.of();
        } catch (YamlEngineException e) {
            problems.add(new Problem(file, 1, 1, "", "invalid YAML: " + e.getMessage()));
            return List.of();
        }
        List<SourceNode> documents = new ArrayList<>();
        for (Node root : roots) {
            YamlSource source = new YamlSource(file, problems);
            SourceNode tree = source.convert(root, "");
            if (source.recursive || !new AliasExpansion(problems).withinLimits(tree)) {
                return List.of();
            }
            if (!Fields.isNull(tree)) {
                documents.add(tree);
            }
        }
        return documents;
    }

    /** Walks the events (the parser keeps its own stack, it does not recurse) before composing. */
    private static boolean nestingWithinLimit(Path file, String text, LoadSettings settings, Problems problems) {
        int depth = 0;
        for (Event event : new Parse(settings).parseString(text)) {
            if (event instanceof CollectionStartEvent) {
                depth++;
                if (depth > MAX_DEPTH) {
                    Optional<Mark> mark = event.getStartMark();
                    problems.add(new Problem(file, mark.map(m -> m.getLine() + 1).orElse(1),
                            mark.map(m -> m.getColumn() + 1).orElse(1), "", "found YAML nested deeper than "
                                    + MAX_DEPTH + " levels; a compose file needs a handful"));
                    return false;
                }
            } else if (event instanceof CollectionEndEvent) {
                depth--;
            }
        }
        return true;
    }

    /**
     * SnakeYAML Engine's composer flattens {@code <<} itself when the core resolver tags it
     * {@code !!merge}; it then drops the positions of merged entries and reports a bad merge
     * source without a field path. Resolving {@code <<} as a plain string leaves merging to us.
     */
    private static final class CoreSchemaWithoutMerge extends CoreSchema {
        @Override
        public ScalarResolver getScalarResolver() {
            ScalarResolver core = super.getScalarResolver();
            return (value, implicit) -> MERGE_KEY.equals(value) ? Tag.STR : core.resolve(value, implicit);
        }
    }

    private SourceNode convert(Node node, String path) {
        SourceNode done = converted.get(node);
        if (done != null) {
            return done;
        }
        if (inProgress.containsKey(node)) {
            problems.add(pos(node), path, "found an alias that refers to itself; recursive structures are not allowed");
            recursive = true;
            return new Scalar(pos(node), "", Kind.NULL, true);
        }
        inProgress.put(node, Boolean.TRUE);
        SourceNode result = switch (node) {
            case ScalarNode s -> scalar(s);
            case SequenceNode s -> {
                List<SourceNode> items = new ArrayList<>();
                for (Node item : s.getValue()) {
                    if (!isTagged(item, RESET)) {
                        items.add(convert(item, path + "[" + items.size() + "]"));
                    }
                }
                yield new SeqNode(pos(s), items);
            }
            case MappingNode m -> mapping(m, path);
            default -> throw new IllegalStateException("unknown node " + node.getClass());
        };
        inProgress.remove(node);
        converted.put(node, result);
        return result;
    }

    private MapNode mapping(MappingNode node, String path) {
        Map<String, Entry> explicit = new LinkedHashMap<>();
        Map<String, Key> resetKeys = new LinkedHashMap<>();
        Set<String> override = new LinkedHashSet<>();
        List<MapNode> merged = new ArrayList<>();
        for (NodeTuple tuple : node.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode keyScalar) || scalar(keyScalar).kind() == Kind.NULL) {
                problems.add(pos(keyNode), path, "found a " + (keyNode instanceof ScalarNode ? "null" : "complex")
                        + " key, expected a plain name");
                continue;
            }
            String keyText = keyScalar.getValue();
            Key key = new Key(keyText, pos(keyNode));
            String childPath = path.isEmpty() ? keyText : path + "." + keyText;
            if (MERGE_KEY.equals(keyText) && keyScalar.getScalarStyle() == ScalarStyle.PLAIN) {
                mergeSources(key, tuple.getValueNode(), path, merged);
                continue;
            }
            Key previous = explicit.containsKey(keyText) ? explicit.get(keyText).key() : resetKeys.get(keyText);
            if (previous != null) {
                problems.add(key.pos(), childPath, "duplicate key '" + keyText + "' (first defined at "
                        + previous.pos() + ")");
                continue;
            }
            if (isTagged(tuple.getValueNode(), RESET)) {
                resetKeys.put(keyText, key);
                continue;
            }
            if (isTagged(tuple.getValueNode(), OVERRIDE)) {
                override.add(keyText);
            }
            explicit.put(keyText, new Entry(key, convert(tuple.getValueNode(), childPath)));
        }
        Map<String, Entry> entries = new LinkedHashMap<>(explicit);
        for (MapNode source : merged) {
            for (Entry entry : source.entries().values()) {
                entries.putIfAbsent(entry.key().text(), entry);
            }
        }
        return new MapNode(pos(node), entries, resetKeys.keySet(), override);
    }

    private static boolean isTagged(Node node, String tag) {
        return tag.equals(node.getTag().getValue());
    }

    private void mergeSources(Key key, Node value, String path, List<MapNode> merged) {
        String mergePath = path.isEmpty() ? MERGE_KEY : path + "." + MERGE_KEY;
        if (!merged.isEmpty()) {
            problems.add(key.pos(), mergePath, "duplicate merge key '<<'; list all sources in one '<<: [*a, *b]'");
            return;
        }
        List<Node> sources = value instanceof SequenceNode seq ? seq.getValue() : List.of(value);
        for (Node source : sources) {
            SourceNode resolved = convert(source, mergePath);
            if (resolved instanceof MapNode map) {
                merged.add(map);
            } else {
                problems.add(resolved.pos(), mergePath, "found " + SourceNode.describe(resolved)
                        + ", expected a mapping or a list of mappings to merge (e.g. '<<: *defaults')");
            }
        }
    }

    private Scalar scalar(ScalarNode node) {
        Tag tag = node.getTag();
        Kind kind;
        if (node.getScalarStyle() != ScalarStyle.PLAIN) {
            kind = Kind.STRING;
        } else if (Tag.NULL.equals(tag)) {
            kind = Kind.NULL;
        } else if (Tag.BOOL.equals(tag)) {
            kind = Kind.BOOL;
        } else if (Tag.INT.equals(tag)) {
            kind = Kind.INT;
        } else if (Tag.FLOAT.equals(tag)) {
            kind = Kind.FLOAT;
        } else {
            kind = Kind.STRING;
        }
        return new Scalar(pos(node), node.getValue(), kind, node.getScalarStyle() == ScalarStyle.PLAIN);
    }

    private Pos pos(Node node) {
        return node.getStartMark()
                .map(m -> new Pos(file, m.getLine() + 1, m.getColumn() + 1))
                .orElse(new Pos(file, 0, 0));
    }
}
