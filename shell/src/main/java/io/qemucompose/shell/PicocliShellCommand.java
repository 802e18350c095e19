package io.qemucompose.shell;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.QemuComposeCli;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandArgument;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.CommandOption;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.completion.CompletionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * One picocli subcommand, seen by Spring Shell. Spring Shell lists it, completes its name and
 * options, and calls {@link #execute}; execution builds a fresh picocli tree and runs the typed
 * words through it — the same classes, parser and error handling as a one-shot call.
 */
public final class PicocliShellCommand implements Command {

    private final CommandSpec spec;
    private final Function<PrintWriter, CommandEnvironment> environmentFor;
    private final CompletionProvider completion;

    public PicocliShellCommand(CommandSpec spec, Function<PrintWriter, CommandEnvironment> environmentFor,
            CompletionProvider completion) {
        this.spec = spec;
        this.environmentFor = environmentFor;
        this.completion = completion;
    }

    @Override
    public String getName() {
        return spec.name();
    }

    @Override
    public String getDescription() {
        String[] description = spec.usageMessage().description();
        return description.length == 0 ? "" : description[0];
    }

    @Override
    public String getGroup() {
        return "qemu-compose";
    }

    @Override
    public List<CommandOption> getOptions() {
        var options = new ArrayList<CommandOption>();
        for (OptionSpec option : spec.options()) {
            if (option.hidden()) {
                continue;
            }
            char shortName = ' ';
            for (String name : option.names()) {
                if (name.length() == 2 && name.charAt(0) == '-' && name.charAt(1) != '-') {
                    shortName = name.charAt(1);
                }
            }
            for (String name : option.names()) {
                if (name.startsWith("--")) {
                    options.add(CommandOption.with().shortName(shortName).longName(name.substring(2))
                            .description(String.join(" ", option.description())).type(option.type()).build());
                    shortName = ' '; // the short name rides along with the first long name only
                }
            }
        }
        return options;
    }

    @Override
    public CompletionProvider getCompletionProvider() {
        return completion;
    }

    @Override
    public ExitStatus execute(CommandContext context) {
        var args = new ArrayList<String>();
        args.add(spec.name());
        context.parsedInput().arguments().stream().map(CommandArgument::value).forEach(args::add);
        int code = new QemuComposeCli(environmentFor.apply(context.outputWriter())).execute(args);
        return code == 0 ? ExitStatus.OK : new ExitStatus(code, "exit code " + code);
    }

    /** The picocli model of this command, for completion. */
    CommandSpec spec() {
        return spec;
    }
}
