package io.qemucompose.spec;

import io.qemucompose.spec.SourceNode.Entry;
import io.qemucompose.spec.SourceNode.MapNode;
import io.qemucompose.spec.SourceNode.Scalar;
import io.qemucompose.spec.SourceNode.SeqNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code x-} fields of the project and of each VM, as written (not interpolated), so that
 * {@code config} prints them back as docker compose does. Values are plain maps, lists, strings,
 * numbers, booleans and nulls, in file order.
 *
 * @param project top-level {@code x-} keys
 * @param vms per VM name, that VM's {@code x-} keys (VMs without any are absent)
 */
public record Extensions(Map<String, Object> project, Map<String, Map<String, Object>> vms) {
    public static final Extensions NONE = new Extensions(Map.of(), Map.of());

    public Extensions {
        project = Collections.unmodifiableMap(new LinkedHashMap<>(project));
        vms = Collections.unmodifiableMap(new LinkedHashMap<>(vms));
    }

    public Map<String, Object> of(String vm) {
        return vms.getOrDefault(vm, Map.of());
    }

    /** The x- fields among the keys of {@code map}. */
    static Map<String, Object> fieldsOf(MapNode map) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Entry entry : map.entries().values()) {
            if (Fields.isExtension(entry.key().text())) {
                out.put(entry.key().text(), plain(entry.value()));
            }
        }
        return out;
    }

    private static Object plain(SourceNode node) {
        return switch (node) {
            case MapNode m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                m.entries().values().forEach(e -> out.put(e.key().text(), plain(e.value())));
                yield out;
            }
            case SeqNode s -> {
                List<Object> out = new ArrayList<>();
                s.items().forEach(item -> out.add(plain(item)));
                yield out;
            }
            case Scalar s -> switch (s.kind()) {
                case NULL -> null;
                case BOOL -> Boolean.parseBoolean(s.text().toLowerCase(Locale.ROOT));
                case INT -> parseOr(s.text(), Long::parseLong);
                case FLOAT -> parseOr(s.text(), Double::parseDouble);
                case STRING -> s.text();
            };
        };
    }

    private static Object parseOr(String text, Function<String, Object> parse) {
        try {
            return parse.apply(text);
        } catch (NumberFormatException e) {
            return text;
        }
    }
}
