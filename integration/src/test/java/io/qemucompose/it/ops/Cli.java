package io.qemucompose.it.ops;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.QemuComposeCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The real CLI, in-process, in a test's own world (private systemd, image cache, port registry). */
public record Cli(Path cwd, Map<String, String> env) {

    public record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** The environment of a CLI run by a user of {@code systemdEnv}'s manager, with its data under {@code home}. */
    public static Map<String, String> environment(Map<String, String> systemdEnv, Path home) {
        Map<String, String> env = new HashMap<>(systemdEnv);
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("QEMU_COMPOSE_USERNET_RESTRICT", "true");
        env.put("QEMU_COMPOSE_ACCEL", "tcg");
        env.put("XDG_DATA_HOME", home.resolve("data").toString());
        env.put("XDG_STATE_HOME", home.resolve("state").toString());
        return env;
    }

    public Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = QemuComposeCli.run(new CommandEnvironment(new PrintWriter(out, true), new PrintWriter(err, true), env,
                cwd, false), args);
        return new Run(code, out.toString(), err.toString());
    }
}
