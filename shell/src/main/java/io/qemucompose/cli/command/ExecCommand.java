package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.driver.Drivers;
import io.qemucompose.driver.qemu.GuestAgentClient;
import io.qemucompose.spec.ComposeProject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qemu-compose exec VM -- CMD [ARG...]}: runs a program in the guest through the QEMU guest
 * agent ({@code guest-exec}), for VMs without SSH. No shell is involved (the agent searches PATH);
 * the output is printed when the program ends and its exit code is passed through.
 */
@Command(name = "exec", mixinStandardHelpOptions = true,
        description = "Run a command in a VM through the QEMU guest agent; its output and exit code are passed through.")
public final class ExecCommand implements Callable<Integer> {

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Parameters(index = "0", paramLabel = "VM")
    private String vm;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD", description = "The program and its arguments (after --).")
    private List<String> command = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300", description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    public ExecCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        ComposeProject compose = project.load(List.of(vm));
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        try (Drivers drivers = Drivers.forUser(env.env());
             GuestAgentClient agent = GuestAgentClient.connect(RunningVm.require(compose, vm, drivers).guestAgentSocket(),
                     Duration.ofSeconds(15))) {
            GuestAgentClient.ExecResult result = agent.exec(command, timeout);
            env.out().print(result.stdout());
            env.err().print(result.stderr());
            return result.exitCode();
        }
    }
}
