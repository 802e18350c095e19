package io.qemucompose.cli;

import java.lang.reflect.Constructor;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Builds the picocli command tree for one {@link CommandEnvironment} and runs a command line in
 * it. This is the single entry every face uses: {@link Main} for one-shot commands, the
 * interactive shell for each typed line, tests in-process. Arguments are passed through as given
 * (already split by the OS shell or by JLine), never re-joined, so quoting survives.
 */
public final class QemuComposeCli {

    private final CommandEnvironment environment;
    private final CommandLine commandLine;

    public QemuComposeCli(CommandEnvironment environment) {
        this(environment, QemuComposeCommand.SUBCOMMANDS);
    }

    private QemuComposeCli(CommandEnvironment environment, List<Class<?>> subcommands) {
        this.environment = environment;
        CommandLine tree = new CommandLine(QemuComposeCommand.class, new EnvironmentFactory(environment));
        for (Class<?> subcommand : subcommands) {
            tree.addSubcommand(subcommand);
        }
        this.commandLine = tree
                .setOut(environment.out())
                .setErr(environment.err())
                .setExecutionExceptionHandler(new ErrorReporter())
                .setParameterExceptionHandler(new UsageErrorReporter());
    }

    /** Runs one command line and returns its exit code; never throws, never calls System.exit. */
    public static int run(CommandEnvironment environment, String... args) {
        return new QemuComposeCli(environment, subcommandsFor(args)).execute(args);
    }

    /**
     * The subcommands a command line needs: only the one it names, when it names one (help and
     * completion need the whole tree, and so do typos, for suggestions); none for a bare
     * {@code --version}.
     */
    static List<Class<?>> subcommandsFor(String... args) {
        String word = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-f") || a.equals("--file") || a.equals("-p") || a.equals("--project-name")) {
                i++;
            } else if (!a.startsWith("-")) {
                word = a;
                break;
            }
        }
        if (word == null) {
            boolean versionOnly = java.util.Arrays.stream(args).anyMatch(a -> a.equals("--version") || a.equals("-V"))
                    && java.util.Arrays.stream(args).noneMatch(a -> a.equals("--help") || a.equals("-h"));
            return versionOnly ? List.of() : QemuComposeCommand.SUBCOMMANDS;
        }
        for (Class<?> c : QemuComposeCommand.SUBCOMMANDS) {
            picocli.CommandLine.Command command = c.getAnnotation(picocli.CommandLine.Command.class);
            if (command.name().equals(word) || java.util.Arrays.asList(command.aliases()).contains(word)) {
                return word.equals("help") || word.equals("completion") ? QemuComposeCommand.SUBCOMMANDS : List.of(c);
            }
        }
        return QemuComposeCommand.SUBCOMMANDS;
    }

    public int execute(String... args) {
        try {
            return commandLine.execute(args);
        } finally {
            environment.out().flush();
            environment.err().flush();
        }
    }

    public int execute(List<String> args) {
        return execute(args.toArray(String[]::new));
    }

    /** The picocli tree, for help, completion scripts and the interactive shell's command list. */
    public CommandLine commandLine() {
        return commandLine;
    }

    private boolean debug() {
        QemuComposeCommand root = commandLine.getCommand();
        return root.debug();
    }

    /** Errors at run time: one line for what the user can fix, the stack trace only with --debug. */
    private final class ErrorReporter implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception exception, CommandLine failed, ParseResult parseResult) {
            var err = failed.getErr();
            if (exception instanceof ParameterException usage) {
                // a command found its arguments wrong only after parsing (e.g. mutually exclusive flags)
                return new UsageErrorReporter().handleParseException(usage, parseResult.originalArgs().toArray(String[]::new));
            }
            for (String line : ErrorMessages.describe(exception)) {
                err.println(exception instanceof io.qemucompose.spec.ComposeFileException ? line : "qemu-compose: " + line);
            }
            if (debug()) {
                exception.printStackTrace(err);
            } else if (!ErrorMessages.isExpected(exception)) {
                err.println("qemu-compose: (run again with --debug for the stack trace)");
            }
            err.flush();
            return exception instanceof UserFacingException userFacing ? userFacing.exitCode() : ExitCode.ERROR;
        }
    }

    /** Usage errors: the message, a suggestion for typos, and where to find help; exit 2. */
    private final class UsageErrorReporter implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException exception, String[] args) {
            CommandLine failed = exception.getCommandLine();
            var err = failed.getErr();
            err.println("qemu-compose: " + exception.getMessage());
            UnmatchedArgumentException.printSuggestions(exception, err);
            err.println("Run '" + failed.getCommandSpec().qualifiedName() + " --help' for usage.");
            if (debug()) {
                exception.printStackTrace(err);
            }
            err.flush();
            return ExitCode.USAGE;
        }
    }

    /** Creates command objects, handing the environment to those whose constructor asks for it. */
    private record EnvironmentFactory(CommandEnvironment environment) implements IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                Class<?>[] parameters = constructor.getParameterTypes();
                if (parameters.length == 1 && parameters[0] == CommandEnvironment.class) {
                    constructor.setAccessible(true);
                    return type.cast(constructor.newInstance(environment));
                }
            }
            return CommandLine.defaultFactory().create(type);
        }
    }
}
