package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.driver.Drivers;
import io.qemucompose.driver.qemu.GuestCpus;
import io.qemucompose.driver.qemu.QmpException;
import io.qemucompose.driver.qemu.RunState;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.state.ProjectLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code qemu-compose pause}: freezes the guests' CPUs over QMP ({@code stop}); memory, disks and
 * the unit stay as they are, {@code ps} shows {@code paused} and {@code watch} leaves them alone.
 */
@Command(name = "pause", mixinStandardHelpOptions = true,
        description = "Freeze running VMs (their CPUs stop, memory is kept); `unpause` resumes them.")
public final class PauseCommand implements Callable<Integer> {

    static final Duration QMP_TIMEOUT = Duration.ofSeconds(5);

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Parameters(paramLabel = "VM", arity = "0..*", description = "Only these VMs (default: all running).")
    private List<String> vms = new ArrayList<>();

    public PauseCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        return freezeOrThaw(env, project.load(vms), vms, true);
    }

    /** Pause or unpause; a VM named on the command line that does not run is an error, as in docker compose. */
    static int freezeOrThaw(CommandEnvironment env, ComposeProject compose, List<String> named, boolean pause) {
        List<String> selected = VmSelection.of(compose, named);
        ProjectLayout layout = new ProjectLayout(compose.projectDir());
        int code = ExitCode.OK;
        try (Drivers drivers = Drivers.forUser(env.env())) {
            List<String> notRunning = new ArrayList<>();
            List<String> running = VmSelection.running(compose, selected, drivers.systemd(), notRunning);
            if (!named.isEmpty()) {
                for (String vm : notRunning) {
                    env.err().println("qemu-compose: " + vm + " is not running");
                    code = ExitCode.ERROR;
                }
            }
            if (running.isEmpty() && named.isEmpty()) {
                env.out().println("No VM is running.");
            }
            for (String vm : running) {
                try {
                    var socket = layout.reachableSocket(layout.qmpSocket(vm));
                    RunState before = pause ? GuestCpus.pause(socket, QMP_TIMEOUT) : GuestCpus.resume(socket, QMP_TIMEOUT);
                    env.out().println(message(vm, pause, before));
                } catch (QmpException e) {
                    env.err().println("qemu-compose: " + vm + ": " + e.getMessage());
                    code = ExitCode.ERROR;
                }
            }
        }
        return code;
    }

    static String message(String vm, boolean pause, RunState before) {
        if (pause) {
            return before == RunState.PAUSED ? vm + " was already paused" : "Paused " + vm;
        }
        return before == RunState.PAUSED ? "Unpaused " + vm : vm + " was not paused";
    }
}
