package io.qemucompose.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generated completion scripts parse in their shell ({@code bash -n}, {@code zsh -n},
 * {@code fish -n}; scripts/install-deps installs zsh and fish) and offer the real commands.
 */
class CompletionScriptsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh", "fish"})
    void theScriptIsValidSyntaxForItsShell(String shell) throws Exception {
        CliRun run = CliRun.run(dir, "completion", shell);
        assertThat(run.exitCode()).isZero();
        Path script = dir.resolve("completion." + shell);
        Files.writeString(script, run.out());
        Path executable = Path.of("/usr/bin", shell);
        assumeTrue(Files.isExecutable(executable),
                shell + " is not installed (scripts/install-deps installs it)");

        Process process = new ProcessBuilder(executable.toString(), "-n", script.toString()).redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).isEmpty();
    }

    @Test
    void zshOffersTheSubcommandsTheirOptionsAndVmNames() {
        String script = CliRun.run(dir, "completion", "zsh").out();

        assertThat(script).startsWith("#compdef qemu-compose\n")
                .contains("'up:Create and start VMs")
                .contains("'*'{-f,--file}'[Compose file")
                .contains("'*--profile[Enable the VMs of this profile")
                .contains("--pull[Pull base images")
                .contains("_qemu_compose_vms")
                .endsWith("compdef _qemu_compose qemu-compose\n");
    }

    @Test
    void fishOffersTheSubcommandsTheirOptionsAndVmNames() {
        String script = CliRun.run(dir, "completion", "fish").out();

        assertThat(script).contains("complete -c qemu-compose -s f -l file -r -F -d 'Compose file")
                .contains("-a 'up' -d 'Create and start VMs")
                .contains("complete -c qemu-compose -n '__fish_seen_subcommand_from config' -l format -x -a 'yaml json'")
                .contains("-n '__fish_seen_subcommand_from up' -a '(qemu-compose config --vms 2>/dev/null)'");
    }

    @Test
    void fishLoadsTheScriptAndCompletesTheSubcommands() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/fish")), "fish is not installed");
        Path script = dir.resolve("qc.fish");
        Files.writeString(script, CliRun.run(dir, "completion", "fish").out());

        Process process = new ProcessBuilder("/usr/bin/fish", "--no-config", "-c",
                "source " + script + "; complete -C 'qemu-compose u'").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(output).contains("up\tCreate and start VMs");
    }
}
