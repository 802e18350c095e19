package io.qemucompose.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What a command may touch of the world it runs in: its output streams, the environment, the
 * working directory, and whether stdout is a terminal. Commands get it through their constructor
 * instead of reaching for {@code System.out}/{@code System.getenv}, so the same command classes run
 * in the one-shot process, inside the interactive shell, and in-process in tests.
 */
public record CommandEnvironment(
        PrintWriter out, PrintWriter err, Map<String, String> env, Path cwd, boolean stdoutIsTerminal) {

    /** Set by ./qemu-compose from bash's {@code [ -t 1 ]}, which costs nothing there. */
    static final String TERMINAL_PROPERTY = "qemucompose.stdout.tty";

    public CommandEnvironment {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        env = Map.copyOf(env);
        cwd = cwd.toAbsolutePath().normalize();
    }

    /** The real process: System.out/err, the process environment, user.dir. */
    public static CommandEnvironment ofProcess() {
        Charset charset = stdoutCharset();
        return new CommandEnvironment(
                new PrintWriter(System.out, true, charset),
                new PrintWriter(System.err, true, charset),
                System.getenv(),
                Path.of(System.getProperty("user.dir")),
                detectTerminal());
    }

    /** The value of an environment variable, or {@code null}. */
    public String getenv(String name) {
        return env.get(name);
    }

    /** {@code --debug} may also come from the environment, as in the seed: QEMU_COMPOSE_DEBUG=true. */
    public boolean debugFromEnvironment() {
        String value = env.get("QEMU_COMPOSE_DEBUG");
        return value != null && (value.equalsIgnoreCase("true") || value.equals("1"));
    }

    private static boolean detectTerminal() {
        String fromLauncher = System.getProperty(TERMINAL_PROPERTY);
        if (fromLauncher != null) {
            return Boolean.parseBoolean(fromLauncher);
        }
        var console = System.console();
        return console != null && console.isTerminal();
    }

    private static Charset stdoutCharset() {
        String name = System.getProperty("stdout.encoding");
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (IllegalArgumentException unknown) {
            return Charset.defaultCharset();
        }
    }
}
