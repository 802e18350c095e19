package io.qemucompose.spec;

import java.util.Locale;

/** {@code restart:} as docker compose spells it; default {@link #NO}. */
public enum RestartPolicy {
    NO, ON_FAILURE, ALWAYS, UNLESS_STOPPED;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
