package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code qemu-compose completion bash|zsh|fish}: prints a completion script generated from the
 * same annotations that parse the command line (bash by picocli, zsh and fish by
 * {@link CompletionScripts}), so it never drifts from the real options.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print a shell completion script.",
        footer = {"", "Load it in the current shell:",
                "  bash:  source <(qemu-compose completion bash)",
                "  zsh:   source <(qemu-compose completion zsh)   (after compinit)",
                "  fish:  qemu-compose completion fish | source"})
public final class CompletionCommand implements Callable<Integer> {

    /** The shells we can generate for. */
    public enum Shell { bash, zsh, fish }

    private final CommandEnvironment environment;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "Shell to complete for: ${COMPLETION-CANDIDATES}.")
    private Shell shell;

    public CompletionCommand(CommandEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        environment.out().print(switch (shell) {
            case bash -> AutoComplete.bash(root.getCommandName(), root);
            case zsh -> CompletionScripts.zsh(root);
            case fish -> CompletionScripts.fish(root);
        });
        return ExitCode.OK;
    }
}
