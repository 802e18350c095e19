package io.qemucompose.shell;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.QemuComposeCli;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import org.jline.reader.Parser;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.jline.JLineInputProvider;
import org.springframework.shell.jline.PromptProvider;
import picocli.CommandLine;

/** Wires the picocli command tree into Spring Shell: one shell command per picocli subcommand. */
@Configuration(proxyBeanMethods = false)
public class ShellConfiguration {

    @Bean
    PromptProvider qemuComposePrompt() {
        return () -> new AttributedString("qemu-compose> ");
    }

    /** Replaces Spring Shell's whitespace-splitting parser (it backs off for any CommandParser bean). */
    @Bean
    WordSplittingCommandParser commandParser(Parser jlineParser) {
        return new WordSplittingCommandParser(jlineParser);
    }

    /** Our loop replaces Spring Shell's runner (its ApplicationRunner backs off when one exists). */
    @Bean
    ApplicationRunner qemuComposeRepl(JLineInputProvider input, WordSplittingCommandParser parser,
            CommandRegistry registry, Terminal terminal) {
        PrintWriter out = terminal.writer();
        PrintWriter err = new PrintWriter(System.err, true);
        Map<String, String> env = System.getenv();
        Path cwd = Path.of(System.getProperty("user.dir"));
        var tree = new QemuComposeCli(new CommandEnvironment(out, err, env, cwd, true)).commandLine();
        for (CommandLine sub : tree.getSubcommands().values()) {
            var spec = sub.getCommandSpec();
            registry.registerCommand(new PicocliShellCommand(spec,
                    writer -> new CommandEnvironment(writer, err, env, cwd, true),
                    new ComposeCompletion(() -> spec, env, cwd)));
        }
        return new QemuComposeRepl(input, parser, registry, out, err,
                words -> new QemuComposeCli(new CommandEnvironment(out, err, env, cwd, true)).execute(words));
    }
}
