package io.qemucompose.shell;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Consumer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.UserInterruptException;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.CommandExecutionException;
import org.springframework.shell.core.command.CommandExecutor;
import org.springframework.shell.core.command.CommandNotFoundException;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.ParsedInput;
import org.springframework.shell.jline.JLineInputProvider;

/**
 * The read-eval loop of the interactive shell, in place of Spring Shell's runner: Ctrl-C clears
 * the line instead of leaving the shell, Ctrl-D and {@code exit} leave, and a failing command
 * has already reported its error on stderr, so nothing is printed twice.
 */
public final class QemuComposeRepl implements ApplicationRunner {

    private final JLineInputProvider input;
    private final WordSplittingCommandParser parser;
    private final CommandRegistry registry;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Consumer<List<String>> unknownCommand;

    /**
     * @param unknownCommand runs words that name no shell command through picocli, which reports
     *     them as a usage error with "did you mean" suggestions, as a one-shot call would
     */
    public QemuComposeRepl(JLineInputProvider input, WordSplittingCommandParser parser, CommandRegistry registry,
            PrintWriter out, PrintWriter err, Consumer<List<String>> unknownCommand) {
        this.unknownCommand = unknownCommand;
        this.input = input;
        this.parser = parser;
        this.registry = registry;
        this.out = out;
        this.err = err;
    }

    @Override
    public void run(ApplicationArguments args) {
        out.println("qemu-compose interactive shell. Type 'help' for commands, Tab to complete, 'exit' to leave.");
        out.flush();
        var executor = new CommandExecutor(registry);
        while (true) {
            String line;
            try {
                line = input.readInput();
            } catch (UserInterruptException ctrlC) {
                continue;
            } catch (EndOfFileException ctrlD) {
                break;
            }
            if (line == null) {
                break;
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.equals("exit") || line.equals("quit")) {
                break;
            }
            ParsedInput parsed = parser.parse(line);
            try {
                executor.execute(new CommandContext(parsed, registry, out, null));
            } catch (CommandNotFoundException unknown) {
                unknownCommand.accept(parser.words(line));
            } catch (CommandExecutionException failure) {
                Throwable cause = failure.getCause() == null ? failure : failure.getCause();
                err.println("qemu-compose: " + cause.getMessage());
            } finally {
                out.flush();
                err.flush();
            }
        }
    }
}
