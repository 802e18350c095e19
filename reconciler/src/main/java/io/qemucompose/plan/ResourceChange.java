package io.qemucompose.plan;

import java.util.List;
import java.util.Locale;

/**
 * What the plan does to one resource, and why: the uniform entry of a plan for every kind (VMs,
 * networks, volumes), after Terraform's resource instance change.
 */
public record ResourceChange(Address address, Kind kind, List<FieldChange> fields, String reason) {

    public ResourceChange {
        fields = List.copyOf(fields);
    }

    /** The resource's name ({@code web} for {@code vm.web}). */
    public String name() {
        return address.name();
    }

    public boolean isVm() {
        return address.kind() == Address.Kind.VM;
    }

    public enum Kind {
        CREATE("+", "will be created"),
        REPLACE("-/+", "must be replaced"),
        UPDATE("~", "will be updated in place"),
        RESTART("~", "will be restarted"),
        START("~", "will be started"),
        STOP("~", "will be stopped"),
        DESTROY("-", "will be destroyed"),
        ORPHAN("!", "is orphaned"),
        SUSPEND("~", "will be suspended (RAM and device state saved next to its disk)"),
        RESUME("~", "will be resumed from its saved state"),
        /** A suspended VM whose machine changed: a saved state is never loaded into a different machine. */
        BOOT("~", "will be booted afresh; its saved state is dropped");

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
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
