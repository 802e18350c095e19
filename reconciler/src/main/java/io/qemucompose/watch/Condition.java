package io.qemucompose.watch;

import java.time.Instant;

/**
 * A Kubernetes-style condition: one aspect of a VM (or the project) and whether it holds.
 *
 * @param type               e.g. {@code Running}, {@code Synced}, {@code ConfigValid}
 * @param status             {@code True}, {@code False} or {@code Unknown}
 * @param reason             one CamelCase word a program can switch on
 * @param message            a sentence for people
 * @param lastTransitionTime when {@code status} last changed (not when the condition was last written)
 */
public record Condition(String type, String status, String reason, String message, Instant lastTransitionTime) {

    public static Condition of(String type, boolean holds, String reason, String message, Instant now) {
        return new Condition(type, holds ? "True" : "False", reason, message, now);
    }

    /** This condition, keeping {@code previous}'s transition time when the status did not change. */
    public Condition since(Condition previous) {
        if (previous != null && previous.type.equals(type) && previous.status.equals(status)) {
            return new Condition(type, status, reason, message, previous.lastTransitionTime);
        }
        return this;
    }

    public boolean isTrue() {
        return "True".equals(status);
    }
}
