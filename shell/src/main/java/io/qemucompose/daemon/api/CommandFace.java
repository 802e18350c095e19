package io.qemucompose.daemon.api;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.QemuComposeCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The API is another face on the same command code: each request runs the CLI's command in this
 * process, with the daemon's compose files, and hands back what it printed and its exit code. So
 * {@code GET /vms/web} is exactly {@code inspect web --format json}, refusals included.
 */
public final class CommandFace {

    /** What a command printed and returned. */
    public record Outcome(int exitCode, String out, String err) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    private final Map<String, String> environment;
    private final Path projectDir;
    private final List<String> projectOptions;

    /** {@code projectOptions}: the {@code -f FILE}/{@code -p NAME} the daemon was started with. */
    public CommandFace(Map<String, String> environment, Path projectDir, List<String> projectOptions) {
        this.environment = Map.copyOf(environment);
        this.projectDir = projectDir;
        this.projectOptions = List.copyOf(projectOptions);
    }

    public Outcome run(String... words) {
        var out = new StringWriter();
        var err = new StringWriter();
        var env = new CommandEnvironment(new PrintWriter(out), new PrintWriter(err), environment, projectDir, false);
        List<String> args = new ArrayList<>(projectOptions);
        args.addAll(List.of(words));
        int code = QemuComposeCli.run(env, args.toArray(String[]::new));
        return new Outcome(code, out.toString(), err.toString());
    }
}
