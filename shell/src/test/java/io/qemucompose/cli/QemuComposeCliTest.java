package io.qemucompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QemuComposeCliTest {

    @TempDir
    Path dir;

    @Test
    void versionOptionPrintsOneLineAndExitsZero() {
        CliRun run = CliRun.run(dir, "--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).matches("qemu-compose version \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void versionCommandNamesTheJavaRuntime() {
        CliRun run = CliRun.run(dir, "version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("qemu-compose version").contains("Java: " + Runtime.version());
    }

    @Test
    void unknownCommandIsAUsageErrorWithASuggestion() {
        CliRun run = CliRun.run(dir, "confg");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("'confg'").contains("qemu-compose config");
    }

    @Test
    void unknownOptionIsAUsageErrorPointingAtTheCommandsHelp() {
        CliRun run = CliRun.run(dir, "config", "--bogus");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).startsWith("qemu-compose: Unknown option: '--bogus'")
                .contains("Run 'qemu-compose config --help' for usage.");
    }

    @Test
    void optionsOnlyWithoutACommandIsAUsageError() {
        CliRun run = CliRun.run(dir, "--debug");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("Missing command");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"config", "doctor", "version", "completion"}) {
            CliRun run = CliRun.run(dir, command, "--help");
            assertThat(run.exitCode()).as(command).isZero();
            assertThat(run.out()).as(command).startsWith("Usage: qemu-compose " + command);
        }
    }

    @Test
    void bashCompletionScriptCompletesTheSubcommands() {
        CliRun run = CliRun.run(dir, "completion", "bash");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("complete -F").contains("config").contains("doctor");
    }

    @Test
    void completionForAnUnsupportedShellIsAUsageError() {
        CliRun run = CliRun.run(dir, "completion", "tcsh");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("tcsh").contains("bash, zsh, fish");
    }

    @Test
    void argumentsKeepTheirSpacesBecauseNothingReJoinsThem() throws IOException {
        Path spaced = dir.resolve("my project");
        Files.createDirectories(spaced);
        Files.writeString(spaced.resolve("my file.yaml"), "vms:\n  web:\n    image: https://example.org/a.qcow2\n");
        CliRun run = CliRun.run(dir, "config", "-f", "my project/my file.yaml", "--vms");
        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("web\n");
    }

    @Test
    void globalOptionsWorkBeforeAndAfterTheCommand() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), "vms:\n  web:\n    image: https://example.org/a.qcow2\n");
        assertThat(CliRun.run(dir, "-f", "a.yaml", "config", "--vms").out()).isEqualTo("web\n");
        assertThat(CliRun.run(dir, "config", "-f", "a.yaml", "--vms").out()).isEqualTo("web\n");
    }

    @Test
    void unexpectedFailuresSuggestDebugAndDebugShowsTheStackTrace() {
        // `config` on a folder without a compose file fails expectedly: one line, no hint
        CliRun expected = CliRun.run(dir, "config");
        assertThat(expected.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(expected.err().lines()).hasSize(1);
        assertThat(expected.err()).contains("no qemu-compose.yaml or qemu-compose.yml here").doesNotContain("\tat ");

        CliRun debug = CliRun.run(dir, Map.of("QEMU_COMPOSE_DEBUG", "true"), "config");
        assertThat(debug.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(debug.err()).contains("\tat ");
    }

    @org.junit.jupiter.api.Test
    void upDetachWithoutWatchIsAUsageError(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("qemu-compose.yaml"), "vms:\n  web:\n    image: https://example.org/x.qcow2\n");
        CliRun run = CliRun.run(dir, "up", "--detach");
        org.assertj.core.api.Assertions.assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        org.assertj.core.api.Assertions.assertThat(run.err()).contains("--detach goes with --watch");
    }
}
