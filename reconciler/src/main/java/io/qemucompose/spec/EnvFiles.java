package io.qemucompose.spec;

import io.qemucompose.spec.SourceNode.MapNode;
import io.qemucompose.spec.SourceNode.Pos;
import io.qemucompose.spec.SourceNode.SeqNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A VM's {@code env_file:}: a path, a list of paths, or compose's long form
 * {@code - {path: ./x.env, required: false}}. Each file is read with {@code .env} syntax (see
 * {@link DotEnv}), relative to the compose file that names it, later files over earlier ones.
 * A missing file is a problem at the entry unless it says {@code required: false}.
 */
final class EnvFiles {
    static final List<String> KEYS = List.of("path", "required");
    private final Fields fields;
    private final Map<String, String> variables;

    EnvFiles(Fields fields, Map<String, String> variables) {
        this.fields = fields;
        this.variables = variables;
    }

    private record Entry(String path, boolean required, Pos pos, String fieldPath) {}

    Map<String, String> read(MapNode vm, String vmPath) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Entry entry : entries(vm, vmPath + ".env_file")) {
            Path base = entry.pos().file() == null || entry.pos().file().getParent() == null
                    ? Path.of("") : entry.pos().file().toAbsolutePath().getParent();
            Path file = base.resolve(entry.path()).normalize();
            if (!Files.isRegularFile(file)) {
                if (entry.required()) {
                    fields.problem(entry.pos(), entry.fieldPath(), "env file " + file + " not found"
                            + " (write '{path: " + entry.path() + ", required: false}' if it is optional)");
                }
                continue;
            }
            Map<String, String> values = DotEnv.readFile(file, variables, fields.problems());
            values.forEach((key, value) -> {
                if (VmParts.isEnvName(key)) {
                    out.put(key, value);
                } else {
                    fields.problem(entry.pos(), entry.fieldPath(), file + " defines '" + key
                            + "', expected variable names of letters, digits and '_' for a VM's environment");
                }
            });
        }
        return out;
    }

    private List<Entry> entries(MapNode vm, String path) {
        List<Entry> out = new ArrayList<>();
        Optional<SourceNode> node = Fields.get(vm, "env_file");
        if (node.isEmpty() || Fields.isNull(node.get())) {
            return out;
        }
        if (!(node.get() instanceof SeqNode list)) {
            String text = fields.text(node.get(), path, "a file path or a list of them");
            if (text != null) {
                out.add(new Entry(text, true, node.get().pos(), path));
            }
            return out;
        }
        for (int i = 0; i < list.items().size(); i++) {
            SourceNode item = list.items().get(i);
            String itemPath = Fields.index(path, i);
            if (item instanceof MapNode map) {
                fields.onlyKeys(map, itemPath, KEYS);
                fields.required(map, itemPath, "path", "the env file's path");
                String file = Fields.get(map, "path").map(n -> fields.text(n, itemPath + ".path", "a file path"))
                        .orElse(null);
                Boolean required = Fields.get(map, "required").map(n -> fields.bool(n, itemPath + ".required"))
                        .orElse(true);
                if (file != null && required != null) {
                    out.add(new Entry(file, required, Fields.get(map, "path").orElseThrow().pos(), itemPath + ".path"));
                }
            } else {
                String file = fields.text(item, itemPath, "a file path or {path: ..., required: false}");
                if (file != null) {
                    out.add(new Entry(file, true, item.pos(), itemPath));
                }
            }
        }
        return out;
    }
}
