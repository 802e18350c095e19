package io.qemucompose.spec;

import io.qemucompose.spec.SourceNode.Entry;
import io.qemucompose.spec.SourceNode.Key;
import io.qemucompose.spec.SourceNode.MapNode;
import io.qemucompose.spec.SourceNode.Pos;
import io.qemucompose.spec.SourceNode.Scalar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * docker compose's {@code extends:} for {@code vms:}: {@code extends: base} (a VM of the same
 * file) or {@code extends: {service: base, file: common.yaml}} (a VM of another file, relative to
 * the file that says it). The VM is its base merged with what it writes itself, by the same rules
 * as {@code -f} files ({@link FileMerge}); a base may extend another VM in turn. Relative paths of
 * a VM taken from another file stay relative to that file ({@link PathBase}).
 *
 * <p>Runs on the merged tree, before the schema walk, so every later check sees the resolved VM
 * with each value's own position: an error in an inherited field points into the file it came
 * from. A missing file or VM and a cycle are problems at the {@code extends} entry.
 */
final class Extends {
    static final List<String> KEYS = List.of("service", "file");
    private final Fields fields;
    private final Set<Path> mainFiles;
    /** Other files, read once each: their documents merged, or null when unreadable. */
    private final Map<Path, MapNode> read = new HashMap<>();
    private final Set<Path> extendedFiles = new LinkedHashSet<>();

    Extends(Fields fields, List<Path> mainFiles) {
        this.fields = fields;
        this.mainFiles = Set.copyOf(mainFiles.stream().map(p -> p.toAbsolutePath().normalize()).toList());
    }

    /** Files read for {@code extends: {file: …}} that are not {@code -f} files: their paths are their own. */
    Set<Path> extendedFiles() {
        return Set.copyOf(extendedFiles);
    }

    SourceNode resolve(SourceNode document) {
        if (!(document instanceof MapNode root) || !(root.entries().get("vms") instanceof Entry vmsEntry)
                || !(vmsEntry.value() instanceof MapNode vms)) {
            return document;
        }
        Map<String, Entry> resolved = new LinkedHashMap<>();
        for (Entry entry : vms.entries().values()) {
            String name = entry.key().text();
            resolved.put(name, new Entry(entry.key(), vm(vms, name, entry.value(), new ArrayList<>())));
        }
        Map<String, Entry> top = new LinkedHashMap<>(root.entries());
        top.put("vms", new Entry(vmsEntry.key(), new MapNode(vms.pos(), resolved)));
        return new MapNode(root.pos(), top, root.reset(), root.override());
    }

    private record Target(String vm, Path file, Pos pos, MapNode vms) {}

    /** {@code node} (VM {@code name} of {@code vms}) with its bases merged under it; {@code chain} for cycles. */
    private SourceNode vm(MapNode vms, String name, SourceNode node, List<String> chain) {
        if (!(node instanceof MapNode vm) || !vm.entries().containsKey("extends")) {
            return node;
        }
        Entry extendsEntry = vm.entries().get("extends");
        Map<String, Entry> own = new LinkedHashMap<>(vm.entries());
        own.remove("extends");
        MapNode without = new MapNode(vm.pos(), own, vm.reset(), vm.override());
        String path = "vms." + name + ".extends";
        Optional<Target> target = target(extendsEntry, vms, path);
        if (target.isEmpty()) {
            return without;
        }
        String here = extendsEntry.key().pos().file() + "#" + name;
        String there = target.get().file() + "#" + target.get().vm();
        List<String> next = new ArrayList<>(chain);
        next.add(here);
        if (next.contains(there)) {
            List<String> cycle = new ArrayList<>(next.subList(next.indexOf(there), next.size()));
            cycle.add(there);
            fields.problem(target.get().pos(), path, "circular extends: " + String.join(" -> ",
                    cycle.stream().map(Extends::vmName).toList()));
            return without;
        }
        Entry baseEntry = target.get().vms().entries().get(target.get().vm());
        SourceNode base = vm(target.get().vms(), target.get().vm(), baseEntry.value(), next);
        if (!(base instanceof MapNode)) {
            return without; // the schema walk names the base VM that is no mapping
        }
        return mergedAsVm(base, without);
    }

    private static String vmName(String key) {
        return key.substring(key.lastIndexOf('#') + 1);
    }

    /** The merge of {@code -f} files, applied to one VM: both sides wrapped as {@code vms: {vm: …}}. */
    private static SourceNode mergedAsVm(SourceNode base, MapNode override) {
        Key key = new Key("vm", override.pos());
        MapNode merged = (MapNode) FileMerge.merge(wrap(key, base), wrap(key, override));
        return ((MapNode) merged.entries().get("vms").value()).entries().get("vm").value();
    }

    private static MapNode wrap(Key key, SourceNode vm) {
        Key vmsKey = new Key("vms", vm.pos());
        return new MapNode(vm.pos(), Map.of("vms", new Entry(vmsKey, new MapNode(vm.pos(), Map.of("vm",
                new Entry(key, vm))))));
    }

    private Optional<Target> target(Entry extendsEntry, MapNode sameFile, String path) {
        SourceNode value = extendsEntry.value();
        Path declaring = extendsEntry.key().pos().file();
        String service;
        Pos servicePos;
        MapNode vms = sameFile;
        Path file = declaring;
        if (value instanceof Scalar) {
            service = fields.text(value, path, "the name of a VM to extend, or {service: NAME, file: PATH}");
            servicePos = value.pos();
        } else {
            MapNode map = fields.map(value, path, "the name of a VM to extend, or {service: NAME, file: PATH}");
            if (map == null) {
                return Optional.empty();
            }
            fields.onlyKeys(map, path, KEYS);
            fields.required(map, path, "service", "the name of the VM to extend");
            Optional<SourceNode> serviceNode = Fields.get(map, "service");
            if (serviceNode.isEmpty()) {
                return Optional.empty();
            }
            service = fields.text(serviceNode.get(), path + ".service", "the name of the VM to extend");
            servicePos = serviceNode.get().pos();
            Optional<SourceNode> fileNode = Fields.get(map, "file");
            if (fileNode.isPresent()) {
                String text = fields.text(fileNode.get(), path + ".file", "the path of a compose file");
                if (text == null) {
                    return Optional.empty();
                }
                Path base = declaring == null || declaring.getParent() == null ? Path.of("") : declaring.getParent();
                file = base.resolve(text).toAbsolutePath().normalize();
                Optional<MapNode> other = vmsOf(file, fileNode.get().pos(), path + ".file");
                if (other.isEmpty()) {
                    return Optional.empty();
                }
                vms = other.get();
            }
        }
        if (service == null) {
            return Optional.empty();
        }
        if (!vms.entries().containsKey(service)) {
            fields.problem(servicePos, path, "no VM named '" + service + "' in " + file
                    + Suggestions.didYouMean(service, vms.entries().keySet())
                    + (vms.entries().isEmpty() ? "" : " (VMs: " + String.join(", ", vms.entries().keySet()) + ")"));
            return Optional.empty();
        }
        return Optional.of(new Target(service, file, servicePos, vms));
    }

    /** The {@code vms:} of another file, its documents merged as later files merge over earlier ones. */
    private Optional<MapNode> vmsOf(Path file, Pos pos, String path) {
        if (!read.containsKey(file)) {
            MapNode document = null;
            if (!Files.isRegularFile(file)) {
                fields.problem(pos, path, "cannot read " + file + ": no such file");
            } else {
                int before = fields.problems().size();
                SourceNode merged = null;
                for (SourceNode d : YamlSource.read(file, fields.problems())) {
                    merged = merged == null ? d : FileMerge.merge(merged, d);
                }
                document = merged instanceof MapNode m ? m : null;
                if (document == null && fields.problems().size() == before) {
                    fields.problem(pos, path, file + " holds no mapping with 'vms:'");
                }
            }
            read.put(file, document);
            if (document != null && !mainFiles.contains(file)) {
                extendedFiles.add(file);
            }
        }
        MapNode document = read.get(file);
        if (document == null) {
            return Optional.empty();
        }
        if (!(document.entries().get("vms") instanceof Entry e) || !(e.value() instanceof MapNode vms)) {
            fields.problem(pos, path, file + " has no 'vms:' mapping to extend from");
            return Optional.empty();
        }
        return Optional.of(vms);
    }
}
