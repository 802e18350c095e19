package io.qemucompose.cli;

import io.qemucompose.cli.command.CpCommand;
import io.qemucompose.cli.command.EventsCommand;
import io.qemucompose.cli.command.ExecCommand;
import io.qemucompose.cli.command.LaunchCommand;
import io.qemucompose.cli.command.QmpCommand;
import io.qemucompose.cli.command.CompletionCommand;
import io.qemucompose.cli.command.ConfigCommand;
import io.qemucompose.cli.command.DoctorCommand;
import io.qemucompose.cli.command.InfoCommand;
import io.qemucompose.cli.command.RunCommand;
import io.qemucompose.cli.command.VersionCommand;
import io.qemucompose.cli.command.PlanCommand;
import io.qemucompose.cli.command.ApplyCommand;
import io.qemucompose.cli.command.UpCommand;
import io.qemucompose.cli.command.StopCommand;
import io.qemucompose.cli.command.SuspendCommand;
import io.qemucompose.cli.command.SnapshotCommand;
import io.qemucompose.cli.command.StartCommand;
import io.qemucompose.cli.command.RestartCommand;
import io.qemucompose.cli.command.PauseCommand;
import io.qemucompose.cli.command.UnpauseCommand;
import io.qemucompose.cli.command.KillCommand;
import io.qemucompose.cli.command.PortCommand;
import io.qemucompose.cli.command.LsCommand;
import io.qemucompose.cli.command.WaitCommand;
import io.qemucompose.cli.command.TopCommand;
import io.qemucompose.cli.command.StatsCommand;
import io.qemucompose.cli.command.DestroyCommand;
import io.qemucompose.cli.command.PsCommand;
import io.qemucompose.cli.command.InspectCommand;
import io.qemucompose.cli.command.ProvisionCommand;
import io.qemucompose.cli.command.SshCommand;
import io.qemucompose.cli.command.SshConfigCommand;
import io.qemucompose.cli.command.ConsoleCommand;
import io.qemucompose.cli.command.LogsCommand;
import io.qemucompose.cli.command.PullCommand;
import io.qemucompose.cli.command.ImageCommand;
import io.qemucompose.cli.command.StatusCommand;
import io.qemucompose.cli.command.WatchCommand;
import io.qemucompose.cli.command.VolumeCommand;
import io.qemucompose.cli.command.NetworkCommand;
import io.qemucompose.cli.command.ConvertCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code qemu-compose} command: global options and the list of subcommands.
 * Global options are inherited, so {@code qemu-compose config -f x.yaml} works as well as
 * {@code qemu-compose -f x.yaml config}; picocli writes inherited values back to this object,
 * where subcommands read them through {@link GlobalOptions}.
 */
@Command(
        name = "qemu-compose",
        mixinStandardHelpOptions = true,
        versionProvider = QemuComposeCommand.Version.class,
        description = "Define and run QEMU virtual machines from a compose file, like docker compose.",
        footer = {"", "Exit codes: 0 ok, 1 error, 2 usage error, 3 not all VMs ready within the deadline."})
public final class QemuComposeCommand implements Callable<Integer>, GlobalOptions {

    /**
     * Every subcommand, in help order. Not in the annotation: a one-shot run registers only the
     * subcommand it runs (see {@link QemuComposeCli#run}), because building picocli's model of all
     * of them by reflection is most of the start-up time.
     */
    public static final List<Class<?>> SUBCOMMANDS = List.of(
            ConfigCommand.class,
            PlanCommand.class,
            ApplyCommand.class,
            UpCommand.class,
            LaunchCommand.class,
            StopCommand.class,
            SuspendCommand.class,
            StartCommand.class,
            RestartCommand.class,
            PauseCommand.class,
            UnpauseCommand.class,
            KillCommand.class,
            PortCommand.class,
            LsCommand.class,
            WaitCommand.class,
            TopCommand.class,
            StatsCommand.class,
            DestroyCommand.class,
            PsCommand.class,
            InspectCommand.class,
            SshCommand.class,
            ProvisionCommand.class,
            SshConfigCommand.class,
            ConsoleCommand.class,
            LogsCommand.class,
            PullCommand.class,
            ImageCommand.class,
            WatchCommand.class,
            StatusCommand.class,
            VolumeCommand.class,
            NetworkCommand.class,
            ConvertCommand.class,
            SnapshotCommand.class,
            DoctorCommand.class,
            VersionCommand.class,
            CompletionCommand.class,
            RunCommand.class,
            InfoCommand.class,
            QmpCommand.class,
            ExecCommand.class,
            CpCommand.class,
            EventsCommand.class,
            HelpCommand.class);

    @Spec
    private CommandSpec spec;

    private final CommandEnvironment environment;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Compose file; repeat to merge later files over earlier ones "
                    + "(default: $QEMU_COMPOSE_FILE, else qemu-compose.yaml or qemu-compose.yml).")
    private List<String> files = new ArrayList<>();

    @Option(names = {"-p", "--project-name"}, paramLabel = "NAME", scope = ScopeType.INHERIT,
            description = "Project name (default: the compose file's folder name).")
    private String projectName;

    @Option(names = "--profile", paramLabel = "NAME", scope = ScopeType.INHERIT,
            description = "Enable the VMs of this profile; repeat for several, '*' for all "
                    + "(default: $QEMU_COMPOSE_PROFILES, comma-separated).")
    private List<String> profiles = new ArrayList<>();

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Show debug output and stack traces (also QEMU_COMPOSE_DEBUG=true).")
    private boolean debug;

    public QemuComposeCommand(CommandEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        // `qemu-compose` with options but no command: say what is missing, like docker compose
        throw new ParameterException(spec.commandLine(), "Missing command.");
    }

    @Override
    public List<String> files() {
        return List.copyOf(files);
    }

    @Override
    public Optional<String> projectName() {
        return Optional.ofNullable(projectName);
    }

    @Override
    public List<String> profiles() {
        return List.copyOf(profiles);
    }

    CommandEnvironment environment() {
        return environment;
    }

    @Override
    public boolean debug() {
        return debug || environment.debugFromEnvironment();
    }

    /** picocli's {@code --version}: one line, like {@code docker compose version --short} plus the name. */
    public static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {VersionInfo.current().oneLine()};
        }
    }
}
