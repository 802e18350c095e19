package io.qemucompose.state;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Brings a {@code state.json} of any earlier schema up to {@link ProjectState#CURRENT_SCHEMA}, one
 * step per version, on the JSON tree before it is bound to records. A field added to a record is a
 * new schema version and a step here that fills it for files that predate it; the fixtures under
 * {@code src/test/resources/state/} are every shape ever written, and the tests load each of them.
 *
 * <ul>
 *   <li>1 → 2: VMs recorded before {@code applied} and {@code stoppedByUser} existed get
 *       {@code applied: {}} and {@code stoppedByUser: false} (a VM nobody stopped).</li>
 * </ul>
 */
final class StateMigrations {

    private StateMigrations() {
    }

    /** {@code tree} migrated in place from {@code version} to the current schema. */
    static ObjectNode migrate(ObjectNode tree, int version) {
        if (version < 2) {
            JsonNode vms = tree.path("vms");
            if (vms.isObject()) {
                for (JsonNode vm : vms.values()) {
                    if (vm instanceof ObjectNode record) {
                        if (!record.hasNonNull("applied")) {
                            record.putObject("applied");
                        }
                        if (!record.hasNonNull("stoppedByUser")) {
                            record.put("stoppedByUser", false);
                        }
                    }
                }
            }
        }
        tree.put("schemaVersion", ProjectState.CURRENT_SCHEMA);
        return tree;
    }
}
