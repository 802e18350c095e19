package io.qemucompose.spec;

/** Prints a resolved project for {@code config}: defaults filled, interpolated, paths absolute. */
public final class ComposeRenderer {
    private ComposeRenderer() {}

    public static String toYaml(ComposeProject project) {
        throw new UnsupportedOperationException("in progress");
    }

    public static String toJson(ComposeProject project) {
        throw new UnsupportedOperationException("in progress");
    }
}
