package io.qemucompose.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** Runs one command line in-process and keeps what it printed. */
record CliRun(int exitCode, String out, String err) {

    static CliRun run(Path cwd, Map<String, String> env, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var environment = new CommandEnvironment(new PrintWriter(out), new PrintWriter(err), env, cwd, false);
        int code = QemuComposeCli.run(environment, args);
        return new CliRun(code, out.toString(), err.toString());
    }

    static CliRun run(Path cwd, String... args) {
        return run(cwd, Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")), args);
    }
}
