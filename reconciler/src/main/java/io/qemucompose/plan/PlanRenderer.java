package io.qemucompose.plan;

import io.qemucompose.desired.Effect;
import io.qemucompose.desired.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** A plan as people read it (Terraform's shape) and as programs read it (JSON, stable keys). */
public final class PlanRenderer {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** 2: one entry per resource with an address and typed before/after values. */
    static final int FORMAT_VERSION = 2;

    private PlanRenderer() {}

    public static String text(Plan plan) {
        StringBuilder out = new StringBuilder();
        if (plan.changes().stream().anyMatch(c -> c.kind() != ResourceChange.Kind.ORPHAN)) {
            out.append("qemu-compose will perform the following actions:\n");
        }
        for (ResourceChange c : plan.changes()) {
            out.append('\n');
            out.append("  # ").append(c.address()).append(' ').append(c.kind().phrase());
            if (c.kind() == ResourceChange.Kind.ORPHAN || (c.fields().isEmpty() && c.reason() != null)) {
                out.append(" (").append(c.reason()).append(')');
            }
            out.append('\n');
            if (c.kind() == ResourceChange.Kind.ORPHAN) {
                continue;
            }
            out.append("  ").append(c.kind().symbol()).append(' ').append(c.address().kind().word()).append(" \"")
                    .append(c.name()).append("\" {\n");
            int width = c.fields().stream().mapToInt(f -> f.field().length()).max().orElse(0);
            for (FieldChange f : c.fields()) {
                if (c.kind() == ResourceChange.Kind.CREATE && f.after() instanceof Value.Text t && t.text().isEmpty()) {
                    continue;
                }
                out.append("      ").append(fieldLine(c.kind(), f, width)).append('\n');
            }
            out.append("    }\n");
        }
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

    private static String fieldLine(ResourceChange.Kind kind, FieldChange f, int width) {
        String name = String.format("%-" + width + "s", f.field());
        if (f.before() == null) {
            return "+ " + name + " = " + quote(f.after());
        }
        if (f.after() == null) {
            return "- " + name + " = " + quote(f.before()) + " -> null";
        }
        String suffix = switch (f.effect()) {
            case REPLACE -> " # forces replacement";
            case RESTART -> " (restart)";
            case NONE -> "";
        };
        return "~ " + name + " = " + quote(f.before()) + " -> " + quote(f.after()) + suffix;
    }

    /** Numbers bare, everything else in quotes (as Terraform shows them). */
    private static String quote(Value v) {
        return switch (v) {
            case null -> "null";
            case Value.Count c -> c.display();
            default -> "\"" + v.display() + "\"";
        };
    }

    /** The JSON document of {@code plan --format json} and of a saved plan file. */
    public static Map<String, Object> jsonTree(Plan plan) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format_version", FORMAT_VERSION);
        root.put("project", plan.project());
        root.put("intent", plan.options().intent().name().toLowerCase(java.util.Locale.ROOT));
        root.put("fingerprint", plan.fingerprint());
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("selected", plan.options().selected());
        options.put("remove_orphans", plan.options().removeOrphans());
        options.put("pull_missing", plan.options().pullMissing());
        options.put("pull", plan.options().pull().toString());
        options.put("wait_ready", plan.options().waitReady());
        options.put("force_stop", plan.options().forceStop());
        options.put("stop_timeout_seconds", plan.options().stopTimeout().toSeconds());
        root.put("options", options);
        List<Object> changes = new ArrayList<>();
        for (ResourceChange c : plan.changes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("address", c.address().toString());
            m.put("type", c.address().kind().word());
            m.put("name", c.name());
            m.put("action", c.kind().jsonName());
            m.put("reason", c.reason());
            List<Object> fields = new ArrayList<>();
            for (FieldChange f : c.fields()) {
                Map<String, Object> fm = new LinkedHashMap<>();
                fm.put("field", f.field());
                fm.put("before", f.before() == null ? null : f.before().json());
                fm.put("after", f.after() == null ? null : f.after().json());
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
            m.put("id", a.id().toString());
            m.put("address", a.target().toString());
            m.put("description", a.describe());
            m.put("depends_on", a.dependsOn().stream().map(ActionId::toString).toList());
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
        if (o == null || intent == null || !Integer.valueOf(FORMAT_VERSION).equals(tree.get("format_version"))) {
            throw new IllegalArgumentException("not a qemu-compose plan file of this version (format_version " + FORMAT_VERSION + "); run `qemu-compose plan` again");
        }
        return new PlanOptions(Intent.valueOf(intent.toString().toUpperCase(java.util.Locale.ROOT)),
                (List<String>) o.get("selected"), (Boolean) o.get("remove_orphans"),
                o.get("pull") instanceof String pull ? PullPolicy.parse(pull)
                        : Boolean.FALSE.equals(o.get("pull_missing")) ? PullPolicy.NEVER : PullPolicy.MISSING,
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
