package io.qemucompose.plan;

import java.util.List;

/** What the plan does to one VM, and why. */
public record VmChange(String vm, Kind kind, List<FieldChange> fields, String reason) {

    public VmChange {
        fields = List.copyOf(fields);
    }

    public enum Kind {
        CREATE("+", "will be created"),
        REPLACE("-/+", "must be replaced"),
        UPDATE("~", "will be updated in place"),
        RESTART("~", "will be restarted"),
        START("~", "will be started"),
        STOP("~", "will be stopped"),
        DESTROY("-", "will be destroyed"),
        ORPHAN("!", "is orphaned");

        private final String symbol;
        private final String phrase;

        Kind(String symbol, String phrase) {
            this.symbol = symbol;
            this.phrase = phrase;
        }

        public String symbol() {
            return symbol;
        }

        public String phrase() {
            return phrase;
        }

        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
