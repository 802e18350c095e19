package io.qemucompose.spec;

import io.qemucompose.spec.SourceNode.Entry;
import io.qemucompose.spec.SourceNode.Key;
import io.qemucompose.spec.SourceNode.Kind;
import io.qemucompose.spec.SourceNode.MapNode;
import io.qemucompose.spec.SourceNode.Scalar;
import io.qemucompose.spec.SourceNode.SeqNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Merges a later compose file (or YAML document) over an earlier one, by docker compose's rules
 * (compose-go's {@code override} package) for the fields we have:
 * <ul>
 *   <li>mappings merge key by key, recursively; a scalar in the later file replaces the earlier;</li>
 *   <li>lists are appended, then made unique where compose does: {@code environment} by variable
 *       name, {@code volumes} by target, {@code ports} by published address; a later item with the
 *       same key takes the place of the earlier one;</li>
 *   <li>{@code networks} of a VM are a union; {@code depends_on} is merged by VM name, a list
 *       entry meaning {@code condition: service_started};</li>
 *   <li>{@code healthcheck.test} is replaced, never appended;</li>
 *   <li>{@code key: !reset ...} drops what earlier files said, {@code key: !override ...} replaces
 *       it instead of merging.</li>
 * </ul>
 * Every node keeps the position of the file it came from, so errors point into the right file.
 */
final class FileMerge {
    private FileMerge() {}

    static SourceNode merge(SourceNode base, SourceNode override) {
        return merge(base, override, "");
    }

    private static SourceNode merge(SourceNode base, SourceNode override, String pattern) {
        if (Fields.isNull(override)) {
            return base; // as compose: an empty value adds nothing; !reset is how to clear one
        }
        switch (pattern) {
            case "vms.*.environment" -> {
                if (base instanceof MapNode && override instanceof MapNode) {
                    return mergeMaps((MapNode) base, (MapNode) override, pattern);
                }
                return unique(environmentList(base), environmentList(override), FileMerge::variableName);
            }
            case "vms.*.volumes" -> {
                return unique(base, override, FileMerge::mountTarget);
            }
            case "vms.*.ports" -> {
                return unique(base, override, FileMerge::portKey);
            }
            case "vms.*.networks" -> {
                return unique(base, override, FileMerge::plainText);
            }
            case "vms.*.depends_on" -> {
                if (base instanceof SeqNode && override instanceof SeqNode) {
                    return unique(base, override, FileMerge::plainText);
                }
                return mergeMaps(dependencyMap(base), dependencyMap(override), pattern);
            }
            case "vms.*.healthcheck.test" -> {
                return override;
            }
            default -> {
                if (base instanceof MapNode baseMap && override instanceof MapNode overrideMap) {
                    return mergeMaps(baseMap, overrideMap, pattern);
                }
                if (base instanceof SeqNode baseSeq && override instanceof SeqNode overrideSeq) {
                    List<SourceNode> items = new ArrayList<>(baseSeq.items());
                    items.addAll(overrideSeq.items());
                    return new SeqNode(baseSeq.pos(), items);
                }
                return override;
            }
        }
    }

    private static MapNode mergeMaps(MapNode base, MapNode override, String pattern) {
        Map<String, Entry> entries = new LinkedHashMap<>(base.entries());
        override.reset().forEach(entries::remove);
        for (Entry entry : override.entries().values()) {
            String key = entry.key().text();
            Entry previous = entries.get(key);
            if (previous == null || override.override().contains(key)) {
                entries.put(key, previous == null ? entry : new Entry(previous.key(), entry.value()));
            } else {
                entries.put(key, new Entry(previous.key(), merge(previous.value(), entry.value(),
                        childPattern(pattern, key))));
            }
        }
        return new MapNode(base.pos(), entries);
    }

    /** The path with VM names replaced by {@code *}, to find the rule of a field. */
    private static String childPattern(String pattern, String key) {
        return pattern.equals("vms") ? "vms.*" : Fields.child(pattern, key);
    }

    /** Appends, then keeps one item per key: the later one, in the place of the first. */
    private static SourceNode unique(SourceNode baseNode, SourceNode overrideNode,
            Function<SourceNode, Optional<String>> keyOf) {
        Optional<SeqNode> base = asList(baseNode);
        Optional<SeqNode> override = asList(overrideNode);
        if (base.isEmpty() || override.isEmpty()) {
            return overrideNode;
        }
        List<SourceNode> items = new ArrayList<>();
        Map<String, Integer> indexByKey = new LinkedHashMap<>();
        List<SourceNode> all = new ArrayList<>(base.get().items());
        all.addAll(override.get().items());
        for (SourceNode item : all) {
            Optional<String> key = keyOf.apply(item);
            Integer earlier = key.map(indexByKey::get).orElse(null);
            if (earlier != null) {
                items.set(earlier, item);
            } else {
                key.ifPresent(k -> indexByKey.put(k, items.size()));
                items.add(item);
            }
        }
        return new SeqNode(base.get().pos(), items);
    }

    /**
     * A list stays a list; a mapping of variables becomes {@code KEY=value} items (a null value a
     * bare {@code KEY}), so both forms of {@code environment} merge by name. Anything else is left
     * for the schema walk to refuse: the override then replaces it.
     */
    private static SourceNode environmentList(SourceNode node) {
        if (node instanceof MapNode map) {
            List<SourceNode> items = new ArrayList<>();
            for (Entry entry : map.entries().values()) {
                String text = entry.value() instanceof Scalar s
                        ? s.kind() == Kind.NULL ? entry.key().text() : entry.key().text() + "=" + s.text()
                        : null;
                if (text == null) {
                    return node;
                }
                items.add(new Scalar(entry.key().pos(), text, Kind.STRING, false));
            }
            return new SeqNode(map.pos(), items);
        }
        return node;
    }

    private static Optional<SeqNode> asList(SourceNode node) {
        return node instanceof SeqNode seq ? Optional.of(seq) : Optional.empty();
    }

    /** {@code depends_on: [db]} as the mapping it stands for: {@code db: {condition: service_started}}. */
    private static MapNode dependencyMap(SourceNode node) {
        if (node instanceof MapNode map) {
            return map;
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        if (node instanceof SeqNode seq) {
            for (SourceNode item : seq.items()) {
                if (item instanceof Scalar s && s.kind() != Kind.NULL) {
                    Scalar condition = new Scalar(s.pos(), Dependency.Condition.SERVICE_STARTED.yamlName(),
                            Kind.STRING, false);
                    Key conditionKey = new Key("condition", s.pos());
                    entries.put(s.text(), new Entry(new Key(s.text(), s.pos()), new MapNode(s.pos(),
                            Map.of("condition", new Entry(conditionKey, condition)))));
                }
            }
            return new MapNode(seq.pos(), entries);
        }
        return new MapNode(node.pos(), entries);
    }

    private static Optional<String> plainText(SourceNode node) {
        return node instanceof Scalar s ? Optional.of(s.text()) : Optional.empty();
    }

    private static Optional<String> variableName(SourceNode node) {
        return plainText(node).map(text -> text.contains("=") ? text.substring(0, text.indexOf('=')) : text);
    }

    private static Optional<String> mountTarget(SourceNode node) {
        if (node instanceof MapNode map) {
            return Optional.ofNullable(map.entries().get("target")).flatMap(e -> plainText(e.value()));
        }
        return plainText(node).map(text -> text.split(":", -1)).filter(parts -> parts.length >= 2)
                .map(parts -> parts[1]);
    }

    private static Optional<String> portKey(SourceNode node) {
        if (node instanceof MapNode map) {
            Function<String, String> field = key -> Optional.ofNullable(map.entries().get(key))
                    .flatMap(e -> plainText(e.value())).orElse("");
            return Optional.of(field.apply("host_ip") + ":" + field.apply("published") + ":" + field.apply("target")
                    + "/" + (field.apply("protocol").isEmpty() ? "tcp" : field.apply("protocol")));
        }
        return plainText(node);
    }
}
