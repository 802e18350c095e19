package io.qemucompose.plan;

import io.qemucompose.desired.Effect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** A plan as people read it (Terraform's shape) and as programs read it (JSON, stable keys). */
public final class PlanRenderer {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private PlanRenderer() {}

    public static String text(Plan plan) {
        StringBuilder out = new StringBuilder();
        List<VmChange> real = plan.changes().stream().filter(c -> c.kind() != VmChange.Kind.ORPHAN).toList();
        if (!real.isEmpty()) {
            out.append("qemu-compose will perform the following actions:\n");
        }
        for (VmChange c : plan.changes()) {
            out.append('\n');
            out.append("  # vm.").append(c.vm()).append(' ').append(c.kind().phrase());
            if (c.kind() == VmChange.Kind.ORPHAN || (c.fields().isEmpty() && c.reason() != null)) {
                out.append(" (").append(c.reason()).append(')');
            }
            out.append('\n');
            if (c.kind() == VmChange.Kind.ORPHAN) {
                continue;
            }
            out.append("  ").append(c.kind().symbol()).append(" vm \"").append(c.vm()).append("\" {\n");
            int width = c.fields().stream().mapToInt(f -> f.field().length()).max().orElse(0);
            for (FieldChange f : c.fields()) {
                if (c.kind() == VmChange.Kind.CREATE && f.to().isEmpty()) {
                    continue;
                }
                out.append("      ").append(fieldLine(c.kind(), f, width)).append('\n');
            }
            out.append("    }\n");
        }
        volumes(plan, out);
        if (!plan.hasChanges()) {
            if (!plan.changes().isEmpty()) {
                out.append('\n');
            }
            out.append("No changes. The VMs match the compose file.\n");
            return out.toString();
        }
        out.append('\n').append("Plan: ").append(plan.toAdd()).append(" to add, ").append(plan.toChange())
                .append(" to change, ").append(plan.toDestroy()).append(" to destroy.\n");
        return out.toString();
    }

    /** Named volumes to create or grow (they are not VMs, so they have no VmChange). */
    private static void volumes(Plan plan, StringBuilder out) {
        for (Action a : plan.actions()) {
            switch (a) {
                case Action.CreateVolume c -> out.append("\n  # volume.").append(c.volume()).append(" will be created\n")
                        .append("  + volume \"").append(c.volume()).append("\" { size = \"")
                        .append(new io.qemucompose.spec.ByteSize(c.bytes())).append("\" }\n");
                case Action.GrowVolume g -> out.append("\n  # volume.").append(g.volume()).append(" will be grown\n")
                        .append("  ~ volume \"").append(g.volume()).append("\" { size = \"")
                        .append(new io.qemucompose.spec.ByteSize(g.fromBytes())).append("\" -> \"")
                        .append(new io.qemucompose.spec.ByteSize(g.bytes())).append("\" }\n");
                default -> { }
            }
        }
    }

    private static String fieldLine(VmChange.Kind kind, FieldChange f, int width) {
        String name = String.format("%-" + width + "s", f.field());
        if (kind == VmChange.Kind.CREATE) {
            return "+ " + name + " = " + quote(f.to());
        }
        if (kind == VmChange.Kind.DESTROY) {
            return "- " + name + " = " + quote(f.from()) + " -> null";
        }
        String suffix = switch (f.effect()) {
            case REPLACE -> " # forces replacement";
            case RESTART -> " (restart)";
            case NONE -> "";
        };
        return "~ " + name + " = " + quote(f.from()) + " -> " + quote(f.to()) + suffix;
    }

    private static String quote(String v) {
        return v == null ? "null" : v.matches("\\d+") ? v : "\"" + v + "\"";
    }

    /** The JSON document of {@code plan --format json} and of a saved plan file. */
    public static Map<String, Object> jsonTree(Plan plan) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format_version", 1);
        root.put("project", plan.project());
        root.put("intent", plan.options().intent().name().toLowerCase(java.util.Locale.ROOT));
        root.put("fingerprint", plan.fingerprint());
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("selected", plan.options().selected());
        options.put("remove_orphans", plan.options().removeOrphans());
        options.put("pull_missing", plan.options().pullMissing());
        options.put("wait_ready", plan.options().waitReady());
        options.put("force_stop", plan.options().forceStop());
        options.put("stop_timeout_seconds", plan.options().stopTimeout().toSeconds());
        root.put("options", options);
        List<Object> changes = new ArrayList<>();
        for (VmChange c : plan.changes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("vm", c.vm());
            m.put("action", c.kind().jsonName());
            m.put("reason", c.reason());
            List<Object> fields = new ArrayList<>();
            for (FieldChange f : c.fields()) {
                Map<String, Object> fm = new LinkedHashMap<>();
                fm.put("field", f.field());
                fm.put("from", f.from());
                fm.put("to", f.to());
                fm.put("effect", f.effect() == Effect.NONE ? "in-place" : f.effect().name().toLowerCase(java.util.Locale.ROOT));
                fields.add(fm);
            }
            m.put("fields", fields);
            changes.add(m);
        }
        root.put("changes", changes);
        List<Object> actions = new ArrayList<>();
        for (Action a : plan.actions()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", a.id());
            m.put("vm", a.vm());
            m.put("description", a.describe());
            m.put("depends_on", a.dependsOn());
            actions.add(m);
        }
        root.put("actions", actions);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("add", plan.toAdd());
        summary.put("change", plan.toChange());
        summary.put("destroy", plan.toDestroy());
        root.put("summary", summary);
        return root;
    }

    public static String json(Plan plan) {
        return JSON.writeValueAsString(jsonTree(plan)) + "\n";
    }

    /** The options a saved plan was made with, so {@code apply PLANFILE} plans exactly the same way. */
    @SuppressWarnings("unchecked")
    public static PlanOptions optionsFrom(Map<String, Object> tree) {
        Map<String, Object> o = (Map<String, Object>) tree.get("options");
        Object intent = tree.get("intent");
        if (o == null || intent == null || !Integer.valueOf(1).equals(tree.get("format_version"))) {
            throw new IllegalArgumentException("not a qemu-compose plan file (format_version 1)");
        }
        return new PlanOptions(Intent.valueOf(intent.toString().toUpperCase(java.util.Locale.ROOT)),
                (List<String>) o.get("selected"), (Boolean) o.get("remove_orphans"), (Boolean) o.get("pull_missing"),
                (Boolean) o.get("wait_ready"), (Boolean) o.get("force_stop"),
                java.time.Duration.ofSeconds(((Number) o.get("stop_timeout_seconds")).longValue()));
    }

    /** Reads a saved plan file back. */
    public static Map<String, Object> readJson(String text) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = JSON.readValue(text, Map.class);
        return m;
    }
}
