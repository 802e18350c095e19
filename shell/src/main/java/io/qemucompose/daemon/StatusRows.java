package io.qemucompose.daemon;

import io.qemucompose.daemon.api.CommandFace;
import io.qemucompose.events.StatusEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code ps --format json}'s rows as {@link StatusEvents} wants them. */
final class StatusRows {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StatusRows() {}

    /** The rows of a successful {@code ps}; a failed one (the file mid-edit) throws, and is tried again. */
    static List<StatusEvents.Row> fromPsJson(CommandFace.Outcome ps) {
        if (!ps.succeeded()) {
            throw new IllegalStateException("ps failed: " + ps.err().strip());
        }
        List<StatusEvents.Row> rows = new ArrayList<>();
        for (JsonNode row : JSON.readTree(ps.out())) {
            JsonNode health = row.path("health");
            rows.add(new StatusEvents.Row(row.path("name").asString(), row.path("status").asString(),
                    health.isString() ? Optional.of(health.asString()) : Optional.empty()));
        }
        return rows;
    }
}
