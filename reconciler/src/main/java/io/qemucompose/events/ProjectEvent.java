package io.qemucompose.events;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import tools.jackson.databind.json.JsonMapper;

/**
 * One thing the reconciler saw or did, in docker compose's {@code events} shape: a time, a source
 * {@code type}, the VM it is about (empty for project-wide events), an {@code action} and a few
 * attributes.
 *
 * @param type   {@code unit} (a systemd state change from D-Bus), {@code qmp} (a QEMU event such as
 *               POWERDOWN), or what the daemon adds: {@code pass}, {@code action}
 * @param action for {@code unit} the new ActiveState ({@code active}, {@code inactive}, {@code failed}, …);
 *               for {@code qmp} the event name
 */
public record ProjectEvent(Instant time, String type, String vm, String action, Map<String, String> attributes) {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter TEXT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneId.systemDefault());

    public ProjectEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(type, "type");
        vm = vm == null ? "" : vm;
        Objects.requireNonNull(action, "action");
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** One JSON object on one line (the SSE {@code data:} and {@code events --format json}). */
    public String toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("time", time.toString());
        out.put("type", type);
        if (!vm.isEmpty()) {
            out.put("vm", vm);
        }
        out.put("action", action);
        out.put("attributes", attributes);
        return JSON.writeValueAsString(out);
    }

    public static ProjectEvent fromJson(String line) {
        var node = JSON.readTree(line);
        Map<String, String> attributes = new LinkedHashMap<>();
        node.path("attributes").properties().forEach(e -> attributes.put(e.getKey(), e.getValue().asString()));
        return new ProjectEvent(Instant.parse(node.path("time").asString()), node.path("type").asString(),
                node.path("vm").asString(""), node.path("action").asString(), attributes);
    }

    /** docker compose's text line: {@code 2025-01-02 10:41:07.412000 qmp web POWERDOWN (k=v, …)}. */
    public String toText() {
        var line = new StringBuilder(TEXT_TIME.format(time)).append(' ').append(type);
        if (!vm.isEmpty()) {
            line.append(' ').append(vm);
        }
        line.append(' ').append(action);
        if (!attributes.isEmpty()) {
            var joined = new StringJoiner(", ", " (", ")");
            attributes.forEach((k, v) -> joined.add(k + "=" + v));
            line.append(joined);
        }
        return line.toString();
    }
}
