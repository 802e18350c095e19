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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.ScalarStyle;
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
 * Reads one YAML file into a {@link SourceNode} tree with SnakeYAML Engine's composer (YAML 1.2
 * core schema: {@code yes} and {@code 52:54:00:12:34:56} stay strings).
 *
 * <p>YAML 1.2 dropped merge keys, but compose files rely on {@code <<: *anchor}; we apply them
 * here as YAML 1.1 defined them: the value is a mapping or a list of mappings, keys written in
 * the mapping itself win, and among merged mappings the earlier one wins. SnakeYAML only refuses
 * duplicate keys when constructing Java objects, which we never do, so duplicates are found here
 * too, naming both positions.
 */
final class YamlSource {
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

    /** The document of {@code file}, or empty when it could not be read (problems then say why). */
    static Optional<SourceNode> read(Path file, Problems problems) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            problems.add(new Problem(file, 0, 0, "", "cannot read: " + e.getMessage()));
            return Optional.empty();
        }
        return parse(file, text, problems);
    }

    static Optional<SourceNode> parse(Path file, String text, Problems problems) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file.toString())
                .setSchema(new CoreSchemaWithoutMerge())
                .setUseMarks(true)
                .setAllowNonScalarKeys(true) // refused by us, with a field path
                .build();
        Node root;
        try {
            Iterator<Node> documents = new Compose(settings).composeAllFromString(text).iterator();
            if (!documents.hasNext()) {
                return Optional.empty();
            }
            root = documents.next();
            if (documents.hasNext()) {
                Node second = documents.next();
                problems.add(new YamlSource(file, problems).pos(second), "",
                        "found a second YAML document; a compose file holds exactly one");
                return Optional.empty();
            }
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
            int line = mark.map(m -> m.getLine() + 1).orElse(0);
            int column = mark.map(m -> m.getColumn() + 1).orElse(0);
            String context = e.getContext() == null || e.getContext().isBlank() ? "" : e.getContext() + ", ";
            String message = context + e.getProblem();
            problems.add(new Problem(file, line, column, "", "invalid YAML: " + message.strip()));
            return Optional.empty();
        } catch (YamlEngineException e) {
            problems.add(new Problem(file, 0, 0, "", "invalid YAML: " + e.getMessage()));
            return Optional.empty();
        }
        YamlSource source = new YamlSource(file, problems);
        SourceNode tree = source.convert(root, "");
        return source.recursive ? Optional.empty() : Optional.of(tree);
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
                    items.add(convert(item, path + "[" + items.size() + "]"));
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
            Entry previous = explicit.get(keyText);
            if (previous != null) {
                problems.add(key.pos(), childPath, "duplicate key '" + keyText + "' (first defined at "
                        + previous.key().pos() + ")");
                continue;
            }
            explicit.put(keyText, new Entry(key, convert(tuple.getValueNode(), childPath)));
        }
        Map<String, Entry> entries = new LinkedHashMap<>(explicit);
        for (MapNode source : merged) {
            for (Entry entry : source.entries().values()) {
                entries.putIfAbsent(entry.key().text(), entry);
            }
        }
        return new MapNode(pos(node), entries);
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
