package io.qemucompose.plan;

import java.util.Locale;

/** docker compose's {@code --pull}: when a base image is downloaded before a VM's disk is created on it. */
public enum PullPolicy {
    /** Download again, even when cached (resumable and checksum-verified as every pull). */
    ALWAYS,
    /** Download only what is not cached (the default). */
    MISSING,
    /** Never download; a VM whose image is not cached is refused at plan time. */
    NEVER;

    /** {@code always}, {@code missing}, {@code never}; anything else is an IllegalArgumentException naming them. */
    public static PullPolicy parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--pull takes always, missing or never, not '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
