package io.qemucompose.cli.command;

import io.qemucompose.driver.Drivers;
import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.cli.UserFacingException;
import io.qemucompose.driver.systemd.UnitStatus;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.Names;
import io.qemucompose.spec.VmSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qemu-compose ssh <vm> [-- command...]}: runs the system's {@code ssh} with the project's
 * key, the VM's user and forwarded port, and the project's own known_hosts (accept-new), on the
 * user's terminal; its exit code (the remote command's, or 255 for an SSH error) is ours.
 *
 * <p>A remote command of one word is passed as is, so {@code ssh web 'ls | wc -l'} is run by the
 * guest's shell as OpenSSH does; several words are each quoted, so {@code ssh web -- sh -c 'exit 7'}
 * runs exactly {@code sh}, {@code -c}, {@code exit 7} (plain OpenSSH would join them and run
 * {@code sh -c exit 7}).
 */
@Command(name = "ssh", mixinStandardHelpOptions = true,
        description = "Open a shell in a VM, or run a command there (after --), with the project's SSH key.")
public final class SshCommand implements Callable<Integer> {

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Parameters(index = "0", paramLabel = "VM", description = "The VM.")
    private String vm;

    @Parameters(index = "1..*", paramLabel = "COMMAND", arity = "0..*", description = "Command to run (put it after --).")
    private List<String> command = new ArrayList<>();

    @Option(names = "-t", description = "Force a pseudo-terminal (as ssh -t).")
    private boolean tty;

    @Option(names = "-T", description = "No pseudo-terminal (as ssh -T).")
    private boolean noTty;

    @Option(names = "-n", description = "Read nothing from stdin (as ssh -n), e.g. when run in the background.")
    private boolean noStdin;

    public SshCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        ComposeProject compose = project.load(List.of(vm)); // a named VM runs whatever its profiles
        VmSpec spec = InspectCommand.requireVm(compose, vm);
        SshAccess access = SshAccess.require(compose, spec);
        requireRunning(compose);
        List<String> argv = new ArrayList<>();
        argv.add(env.env().getOrDefault("QEMU_COMPOSE_SSH", "ssh"));
        argv.addAll(access.options());
        if (tty) {
            argv.add("-t");
        }
        if (noTty) {
            argv.add("-T");
        }
        if (noStdin) {
            argv.add("-n");
        }
        argv.add(access.user() + "@" + access.host());
        if (!command.isEmpty()) {
            argv.add("--");
            argv.add(command.size() == 1 ? command.getFirst() : String.join(" ", command.stream()
                    .map(SshCommand::shellQuote).toList()));
        }
        env.out().flush();
        env.err().flush();
        try {
            ProcessBuilder builder = new ProcessBuilder(argv).inheritIO();
            if (noStdin) {
                builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            Process ssh = builder.start();
            return ssh.waitFor();
        } catch (IOException e) {
            throw new UserFacingException("cannot run ssh (" + argv.getFirst() + "): " + e.getMessage()
                    + "; install openssh-client", e);
        }
    }

    /** A clear message for a VM that is not running, instead of ssh's "Connection refused". */
    private void requireRunning(ComposeProject compose) {
        try (Drivers drivers = Drivers.forUser(env.env())) {
            UnitStatus unit = drivers.systemd().unit(io.qemucompose.state.ProjectLayout.vmUnit(compose.name(), vm));
            if (!unit.loaded() || unit.isStopped()) {
                throw new UserFacingException(vm + " is not running; start it with `qemu-compose up " + vm + "`");
            }
        } catch (UserFacingException e) {
            throw e;
        } catch (RuntimeException e) {
            // systemd not reachable: let ssh say what it finds
        }
    }

    static String shellQuote(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_@%+=:,./-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
