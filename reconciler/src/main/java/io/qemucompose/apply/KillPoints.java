package io.qemucompose.apply;

/**
 * Deterministic crash points for the fault tests: when the environment variable
 * {@value #VARIABLE} names a point this process reaches, it prints {@code KILL-POINT <name>} and
 * halts at once, as a {@code kill -9} there would (no shutdown hooks, no finally blocks, exit code
 * 137). The tests then check that the next run converges. Unset, every check is one string
 * comparison; nothing else reads the variable.
 */
public final class KillPoints {

    public static final String VARIABLE = "QEMU_COMPOSE_KILL_POINT";

    private KillPoints() {}

    /** Halts the JVM if {@code environment} names {@code point}. */
    public static void reached(java.util.Map<String, String> environment, String point) {
        if (point.equals(environment.get(VARIABLE))) {
            System.out.println("KILL-POINT " + point);
            System.out.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}
