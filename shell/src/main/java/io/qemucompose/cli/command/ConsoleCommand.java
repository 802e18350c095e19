package io.qemucompose.cli.command;

import java.util.List;
import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.cli.UserFacingException;
import io.qemucompose.driver.qemu.ConsoleBusyException;
import io.qemucompose.driver.qemu.SerialConsole;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.state.ProjectLayout;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code qemu-compose console <vm>}: the VM's serial console on this terminal, in raw mode, until
 * Ctrl+] (or the VM stops). Console bytes go to the process's stdout unchanged (not through the
 * command's text writer: the guest sends escape sequences and CRs that must arrive as they are).
 */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = "Attach to a VM's serial console; Ctrl+] detaches.")
public final class ConsoleCommand implements Callable<Integer> {

    private static final Duration ACCEPT_TIMEOUT = Duration.ofMillis(500);

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Parameters(paramLabel = "VM", description = "The VM.")
    private String vm;

    public ConsoleCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        ComposeProject compose = project.load(List.of(vm));
        InspectCommand.requireVm(compose, vm);
        ProjectLayout layout = new ProjectLayout(compose.projectDir());
        Path socket = layout.reachableSocket(layout.consoleSocket(vm));
        SerialConsole console;
        try {
            console = SerialConsole.attach(socket, ACCEPT_TIMEOUT);
        } catch (ConsoleBusyException e) {
            throw new UserFacingException("the console of " + vm + " is in use by another client "
                    + "(another `qemu-compose console` or socat); QEMU serves one at a time — detach it first", e);
        } catch (IOException e) {
            throw new UserFacingException(vm + " is not running (no console at " + layout.consoleSocket(vm)
                    + "); start it with `qemu-compose up " + vm + "`", e);
        }
        env.out().println("Connected to VM console: " + vm);
        env.out().println("Press Ctrl+] to detach");
        env.out().flush();
        SerialConsole.Detach why;
        OutputStream terminal = new FileOutputStream(FileDescriptor.out);
        try (console; RawTerminal raw = RawTerminal.enter().orElse(null)) {
            why = console.bridge(new FileInputStream(FileDescriptor.in), terminal);
        }
        env.out().println();
        env.out().println(switch (why) {
            case DETACH_KEY -> "Detached from " + vm + ".";
            case CONSOLE_CLOSED -> "The console of " + vm + " closed (the VM stopped).";
            case INPUT_CLOSED -> "Input ended; detached from " + vm + ".";
        });
        return ExitCode.OK;
    }
}
