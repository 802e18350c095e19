package io.qemucompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The docker compose verbs of issue 18 as a user types them: help, completion, usage errors. */
class VerbsUsageTest {

    static final String[] VERBS = {"start", "restart", "pause", "unpause", "kill", "port", "ls", "wait", "top", "stats"};

    @TempDir
    Path dir;

    @Test
    void everyVerbHasHelpInBothFaces() {
        for (String verb : VERBS) {
            CliRun run = CliRun.run(dir, verb, "--help");
            assertThat(run.exitCode()).as(verb).isZero();
            assertThat(run.out()).as(verb).startsWith("Usage: qemu-compose " + verb);
            // the interactive shell builds the whole tree: the verb must be in it
            var tree = new QemuComposeCli(new CommandEnvironment(new java.io.PrintWriter(new java.io.StringWriter()),
                    new java.io.PrintWriter(new java.io.StringWriter()), java.util.Map.of(), dir, false)).commandLine();
            assertThat(tree.getSubcommands()).as(verb).containsKey(verb);
        }
    }

    @Test
    void bashCompletionKnowsEveryVerb() {
        CliRun run = CliRun.run(dir, "completion", "bash");
        assertThat(run.exitCode()).isZero();
        for (String verb : VERBS) {
            assertThat(run.out()).as(verb).containsPattern("commands=\"[^\"]*\\b" + verb + "\\b");
        }
    }

    @Test
    void restartTakesTheGracePeriodAsDockerComposeDoes() {
        CliRun run = CliRun.run(dir, "restart", "-t", "soon");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("soon");
    }

    @Test
    void killRefusesAnUnknownSignalBeforeTouchingAnything() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("qemu-compose.yaml"), "vms:\n  web:\n    image: https://example.org/x.qcow2\n");
        CliRun run = CliRun.run(dir, "kill", "-s", "SIGNOPE", "web");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("unknown signal 'SIGNOPE'");
    }
}
