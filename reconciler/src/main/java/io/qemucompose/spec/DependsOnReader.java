package io.qemucompose.spec;

import io.qemucompose.spec.SourceNode.Entry;
import io.qemucompose.spec.SourceNode.MapNode;
import io.qemucompose.spec.SourceNode.Pos;
import io.qemucompose.spec.SourceNode.SeqNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code depends_on:} a list of VM names, or a mapping of VM names to {@code {condition: ...}}. */
final class DependsOnReader {
    private final Fields fields;
    private final Set<String> vmNames;

    DependsOnReader(Fields fields, Set<String> vmNames) {
        this.fields = fields;
        this.vmNames = vmNames;
    }

    Map<String, Dependency> read(String self, MapNode vm, String vmPath, Map<String, Pos> positions) {
        Map<String, Dependency> out = new LinkedHashMap<>();
        Optional<SourceNode> node = Fields.get(vm, "depends_on");
        String path = vmPath + ".depends_on";
        if (node.isEmpty() || Fields.isNull(node.get())) {
            return out;
        }
        if (node.get() instanceof SeqNode list) {
            for (int i = 0; i < list.items().size(); i++) {
                SourceNode item = list.items().get(i);
                String itemPath = Fields.index(path, i);
                String name = fields.text(item, itemPath, "a VM name");
                if (name == null) {
                    continue;
                }
                if (positions.containsKey(name)) {
                    fields.problem(item.pos(), itemPath, "'" + name + "' is listed twice");
                } else if (known(self, name, item.pos(), itemPath)) {
                    positions.put(name, item.pos());
                    out.put(name, new Dependency(name, Dependency.Condition.SERVICE_STARTED));
                }
            }
            return out;
        }
        MapNode map = fields.map(node.get(), path, "a list of VM names or a mapping of VM names to conditions");
        if (map == null) {
            return out;
        }
        for (Entry entry : Fields.entries(map)) {
            String name = entry.key().text();
            String entryPath = path + "." + name;
            Dependency.Condition condition = Dependency.Condition.SERVICE_STARTED;
            if (!Fields.isNull(entry.value())) {
                MapNode spec = fields.map(entry.value(), entryPath, "a mapping with 'condition'");
                if (spec == null) {
                    continue;
                }
                fields.onlyKeys(spec, entryPath, VmParts.DEPENDENCY_KEYS);
                String text = Fields.get(spec, "condition")
                        .map(n -> fields.oneOf(n, entryPath + ".condition", VmParts.CONDITIONS))
                        .orElse(condition.yamlName());
                if (text == null) {
                    continue;
                }
                condition = Dependency.Condition.valueOf(text.toUpperCase(Locale.ROOT));
            }
            if (known(self, name, entry.key().pos(), entryPath)) {
                positions.put(name, entry.key().pos());
                out.put(name, new Dependency(name, condition));
            }
        }
        return out;
    }

    private boolean known(String self, String name, Pos pos, String path) {
        if (name.equals(self)) {
            fields.problem(pos, path, "a VM cannot depend on itself");
            return false;
        }
        if (!vmNames.contains(name)) {
            fields.problem(pos, path, "unknown VM '" + name + "'" + Suggestions.didYouMean(name, vmNames)
                    + "; VMs in this file: " + String.join(", ", vmNames));
            return false;
        }
        return true;
    }
}
