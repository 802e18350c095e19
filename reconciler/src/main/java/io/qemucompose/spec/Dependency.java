package io.qemucompose.spec;

import java.util.Locale;

/** One entry of {@code depends_on}. The list form means {@link Condition#SERVICE_STARTED}. */
public record Dependency(String vm, Condition condition) {

    public enum Condition {
        SERVICE_STARTED, SERVICE_HEALTHY, SERVICE_COMPLETED_SUCCESSFULLY;

        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
