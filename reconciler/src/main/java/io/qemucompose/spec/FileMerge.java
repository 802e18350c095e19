package io.qemucompose.spec;

import io.qemucompose.spec.SourceNode.Entry;
import io.qemucompose.spec.SourceNode.MapNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Merges a later compose file over an earlier one: mappings merge key by key, recursively; any
 * other value (a scalar or a whole list) in the later file replaces the earlier one. Simpler than
 * docker compose, which appends some lists, and easy to predict. Every node keeps the position of
 * the file it came from, so errors point into the right file.
 */
final class FileMerge {
    private FileMerge() {}

    static SourceNode merge(SourceNode base, SourceNode override) {
        if (base instanceof MapNode baseMap && override instanceof MapNode overrideMap) {
            Map<String, Entry> entries = new LinkedHashMap<>(baseMap.entries());
            for (Entry entry : overrideMap.entries().values()) {
                Entry previous = entries.get(entry.key().text());
                entries.put(entry.key().text(), previous == null ? entry
                        : new Entry(previous.key(), merge(previous.value(), entry.value())));
            }
            return new MapNode(baseMap.pos(), entries);
        }
        return override;
    }
}
