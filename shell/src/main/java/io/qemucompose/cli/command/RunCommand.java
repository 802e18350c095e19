package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.RunProjects;
import io.qemucompose.cli.UserFacingException;
import io.qemucompose.driver.qemu.ConsoleBusyException;
import io.qemucompose.driver.qemu.SerialConsole;
import io.qemucompose.plan.Intent;
import io.qemucompose.plan.PlanOptions;
import io.qemucompose.spec.ComposeLoader;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.ComposeSource;
import io.qemucompose.spec.GuestArch;
import io.qemucompose.spec.GuestOs;
import io.qemucompose.spec.Names;
import io.qemucompose.state.ProjectLayout;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qemu-compose run [--name N] [--platform P] [--rm] [--dry-run] OS VERSION}: qvm's interface.
 * A one-off VM outside any compose file: its own project folder under the data folder
 * ({@code info paths}), a one-VM compose file written there, then the same reconcile loop as
 * {@code up}, and the terminal attached to the serial console; {@code --rm} destroys it on exit.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a one-off VM of OS VERSION (e.g. freebsd 14.1) attached to its serial console.")
public final class RunCommand implements Callable<Integer> {

    /** How much of what the guest printed before the terminal was attached is shown. */
    private static final int REPLAY_BYTES = 64 * 1024;
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final int QVM_CPUS = 2;
    private static final String QVM_MEMORY = "6G";

    private final CommandEnvironment env;

    @Parameters(index = "0", paramLabel = "OS", description = "freebsd, openbsd, netbsd, haiku or omnios.")
    private String os;

    @Parameters(index = "1", paramLabel = "VERSION", description = "The OS version, e.g. 14.1.")
    private String version;

    @Option(names = "--name", paramLabel = "NAME", description = "The VM's name (default qvm-<random>).")
    private String name;

    @Option(names = "--platform", paramLabel = "PLATFORM",
            description = "linux/amd64 or linux/arm64 (also x86-64, arm64); default the host's.")
    private String platform;

    @Option(names = "--rm", description = "Destroy the VM and its folder when the console ends.")
    private boolean rm;

    @Option(names = "--dry-run", description = "Print the QEMU command line and unit properties; change nothing.")
    private boolean dryRun;

    public RunCommand(CommandEnvironment env) {
        this.env = env;
    }

    /** {@code $XDG_DATA_HOME/qemu-compose/run}: one project folder per VM that {@code run} started. */
    static Path runDir(CommandEnvironment env) {
        return RunProjects.dir(env.env());
    }

    @Override
    public Integer call() throws Exception {
        GuestOs guest = GuestOs.parse(os).filter(o -> o != GuestOs.LINUX).orElseThrow(() -> new UserFacingException(
                "unknown OS '" + os + "'; allowed: freebsd, openbsd, netbsd, haiku, omnios (Linux VMs: use a compose file)",
                ExitCode.USAGE, null));
        GuestArch arch = platform == null ? GuestArch.host() : arch(platform);
        String vm = name != null ? name : "qvm-" + HexFormat.of().formatHex(randomBytes());
        Names.vmNameProblem(vm).ifPresent(p -> {
            throw new UserFacingException("--name: " + p, ExitCode.USAGE, null);
        });
        String project = "run-" + vm.toLowerCase(Locale.ROOT);
        Names.projectNameProblem(project).ifPresent(p -> {
            throw new UserFacingException("--name: " + p, ExitCode.USAGE, null);
        });
        Path dir = runDir(env).resolve(vm);
        // every value is quoted for YAML: a version such as 7.5 stays a string
        String yaml = "# written by `qemu-compose run`; remove with `qemu-compose -f <this file> destroy`\n"
                + "name: " + project + "\nvms:\n  " + vm + ":\n    image: '" + guest.id() + ":" + yamlQuoted(version) + "'\n"
                + "    platform: '" + arch.platform() + "'\n"
                // what qvm's drivers fix (-smp 2 -m 6G): `run` prints and starts the spec's command line
                + "    cpu: " + QVM_CPUS + "\n    memory: " + QVM_MEMORY + "\n";
        if (dryRun) {
            Path tmp = Files.createTempFile("qemu-compose-run-", ".yaml");
            try {
                Files.writeString(tmp, yaml);
                ComposeProject compose = new ComposeLoader(env.env()).load(new ComposeSource(List.of(tmp), dir), Optional.empty());
                try (Reconciling r = new Reconciling(env, compose, true)) {
                    return DryRunOutput.print(r, PlanOptions.running().withWaitReady(false), env.out());
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        Files.createDirectories(dir);
        Path file = dir.resolve(RunProjects.COMPOSE_FILE);
        Files.writeString(file, yaml);
        ComposeProject compose = new ComposeLoader(env.env()).load(ComposeSource.of(file), Optional.empty());
        try (Reconciling r = new Reconciling(env, compose)) {
            int code = r.apply(PlanOptions.running().withWaitReady(false), Optional.empty(), Duration.ZERO);
            boolean ended = false;
            if (code == ExitCode.OK) {
                ended = attach(compose, vm) == SerialConsole.Detach.CONSOLE_CLOSED;
                if (ended) {
                    env.out().println(vm + " stopped (its console closed).");
                }
            }
            if (rm) {
                // qvm removes the instance after the guest shut down: the guest first gets its power button
                // (graceful steps, then SIGTERM), as `stop` does; destroying alone would SIGTERM at once
                if (!ended) {
                    r.apply(PlanOptions.running().withIntent(Intent.STOPPED).withForceStop(false, STOP_GRACE),
                            Optional.empty(), Duration.ZERO);
                }
                r.apply(PlanOptions.running().withIntent(Intent.ABSENT).withForceStop(false, STOP_GRACE),
                        Optional.empty(), Duration.ZERO);
                RunProjects.remove(dir);
                env.out().println("Removed " + vm + ".");
            } else {
                env.out().println(vm + (ended ? " is stopped" : " keeps running") + "; its project: " + file
                        + " (`qemu-compose ps " + vm + "`, `qemu-compose destroy " + vm + "` find it from any folder)");
            }
            return code;
        }
    }

    /**
     * Attaches the terminal to the serial console until the user detaches or the guest ends. What
     * the guest printed between its start and this attach (firmware, boot loader: a small guest may
     * be done by then) went only to the console log, so that part of the log is shown first. The
     * log's length is taken before connecting; bytes QEMU writes within that moment would be shown
     * twice, which beats losing a boot loader's first lines.
     */
    private SerialConsole.Detach attach(ComposeProject compose, String vm) throws IOException, InterruptedException {
        ProjectLayout layout = new ProjectLayout(compose.projectDir());
        Path log = layout.consoleLog(vm);
        FileOutputStream terminal = new FileOutputStream(FileDescriptor.out);
        SerialConsole console;
        long printedBefore;
        try {
            printedBefore = size(log);
            console = SerialConsole.attach(layout.reachableSocket(layout.consoleSocket(vm)), Duration.ofSeconds(5));
        } catch (ConsoleBusyException e) {
            throw new UserFacingException("the console of " + vm + " is in use by another client", e);
        } catch (IOException e) {
            // QEMU is gone already: the guest ran to its end before we could attach; its log has it all
            env.out().flush();
            replay(log, size(log), terminal);
            return SerialConsole.Detach.CONSOLE_CLOSED;
        }
        env.out().println("Connected to the console of " + vm + "; Ctrl+] detaches");
        env.out().flush();
        replay(log, printedBefore, terminal);
        try (console; RawTerminal raw = RawTerminal.enter().orElse(null)) {
            return console.bridge(new FileInputStream(FileDescriptor.in), terminal);
        } finally {
            env.out().println();
        }
    }

    /** The last {@link #REPLAY_BYTES} of the first {@code upTo} bytes of the console log. */
    private static void replay(Path log, long upTo, OutputStream out) throws IOException {
        if (upTo <= 0) {
            return;
        }
        long from = Math.max(0, upTo - REPLAY_BYTES);
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(upTo - from));
            while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) > 0) {
                // read on
            }
            out.write(buffer.array(), 0, buffer.position());
            out.flush();
        } catch (NoSuchFileException e) {
            // nothing was printed
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static GuestArch arch(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Optional<GuestArch> arch = t.contains("/") ? GuestArch.parsePlatform(t)
                : GuestArch.parsePlatform("linux/" + (t.equals("x86-64") ? "amd64" : t));
        return arch.orElseThrow(() -> new UserFacingException("--platform: found '" + text + "', expected one of "
                + String.join(", ", GuestArch.platforms()) + " (or x86-64, arm64)", ExitCode.USAGE, null));
    }

    private static String yamlQuoted(String text) {
        if (!text.matches("[0-9A-Za-z][0-9A-Za-z._-]*")) {
            throw new UserFacingException("VERSION: found '" + text + "', expected letters, digits, '.', '_' or '-'",
                    ExitCode.USAGE, null);
        }
        return text;
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[3];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
