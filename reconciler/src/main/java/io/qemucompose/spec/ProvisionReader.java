package io.qemucompose.spec;

import io.qemucompose.spec.SourceNode.MapNode;
import io.qemucompose.spec.SourceNode.SeqNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code provision:} a list of steps. A string is an inline shell script; a mapping has
 * {@code type: shell} (default) with exactly one of {@code inline} or {@code script}, or
 * {@code type: file} with {@code source} and an absolute {@code destination}.
 */
final class ProvisionReader {
    private final Fields fields;
    private final PathBase paths;

    ProvisionReader(Fields fields, PathBase paths) {
        this.fields = fields;
        this.paths = paths;
    }

    List<Provision> read(MapNode vm, String vmPath) {
        List<Provision> steps = new ArrayList<>();
        Optional<SourceNode> node = Fields.get(vm, "provision");
        String path = vmPath + ".provision";
        if (node.isEmpty() || Fields.isNull(node.get())) {
            return steps;
        }
        SeqNode list = fields.list(node.get(), path, "a list of provisioning steps");
        if (list == null) {
            return steps;
        }
        for (int i = 0; i < list.items().size(); i++) {
            Provision step = step(list.items().get(i), Fields.index(path, i));
            if (step != null) {
                steps.add(step);
            }
        }
        return steps;
    }

    private Provision step(SourceNode node, String path) {
        if (!(node instanceof MapNode map)) {
            String script = fields.text(node, path, "a shell command or a mapping with 'type'");
            return script == null ? null : new Provision.InlineShell(script);
        }
        fields.onlyKeys(map, path, VmParts.PROVISION_KEYS);
        Optional<SourceNode> typeNode = Fields.get(map, "type");
        String type = typeNode.isPresent() ? fields.oneOf(typeNode.get(), path + ".type", List.of("shell", "file"))
                : "shell";
        if (type == null) {
            return null;
        }
        return type.equals("shell") ? shell(map, path) : file(map, path);
    }

    private Provision shell(MapNode map, String path) {
        refuse(map, path, "source", "type: file");
        refuse(map, path, "destination", "type: file");
        Optional<SourceNode> inline = Fields.get(map, "inline");
        Optional<SourceNode> script = Fields.get(map, "script");
        if (inline.isPresent() == script.isPresent()) {
            fields.problem(map.pos(), path, inline.isPresent()
                    ? "found both 'inline' and 'script', expected one of them"
                    : "missing 'inline' or 'script' for a shell step");
            return null;
        }
        if (inline.isPresent()) {
            String text = fields.text(inline.get(), path + ".inline", "a shell script");
            return text == null ? null : new Provision.InlineShell(text);
        }
        String file = fields.text(script.get(), path + ".script", "the path of a script on the host");
        return file == null ? null : new Provision.ShellScript(paths.dirOf(script.get().pos()).resolve(file).normalize());
    }

    private Provision file(MapNode map, String path) {
        refuse(map, path, "inline", "type: shell");
        refuse(map, path, "script", "type: shell");
        fields.required(map, path, "source", "a host path");
        fields.required(map, path, "destination", "an absolute path in the VM");
        String source = Fields.get(map, "source").map(n -> fields.text(n, path + ".source", "a host path"))
                .orElse(null);
        String destination = Fields.get(map, "destination").map(n -> {
            String text = fields.text(n, path + ".destination", "an absolute path in the VM");
            if (text != null && !text.startsWith("/")) {
                fields.problem(n.pos(), path + ".destination",
                        "found '" + text + "', expected an absolute path in the VM (starting with '/')");
                return null;
            }
            return text;
        }).orElse(null);
        if (source == null || destination == null) {
            return null;
        }
        return new Provision.FileCopy(paths.dirOf(map.entries().get("source").value().pos()).resolve(source)
                .normalize(), destination);
    }

    private void refuse(MapNode map, String path, String key, String belongsTo) {
        map.entries().entrySet().stream().filter(e -> e.getKey().equals(key)).findFirst().ifPresent(e ->
                fields.problem(e.getValue().key().pos(), path + "." + key, "'" + key + "' belongs to " + belongsTo));
    }
}
