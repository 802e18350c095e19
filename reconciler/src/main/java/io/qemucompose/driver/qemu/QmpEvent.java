package io.qemucompose.driver.qemu;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** An asynchronous QMP event such as {@code SHUTDOWN}, {@code POWERDOWN}, {@code RESET}, {@code STOP}. */
public record QmpEvent(String name, JsonNode data, Instant timestamp) {
}
