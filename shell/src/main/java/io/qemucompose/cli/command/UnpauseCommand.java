package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ProjectLoading;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code qemu-compose unpause}: thaws what {@code pause} froze (QMP {@code cont}). */
@Command(name = "unpause", mixinStandardHelpOptions = true, description = "Resume paused VMs.")
public final class UnpauseCommand implements Callable<Integer> {

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Parameters(paramLabel = "VM", arity = "0..*", description = "Only these VMs (default: all running).")
    private List<String> vms = new ArrayList<>();

    public UnpauseCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        return PauseCommand.freezeOrThaw(env, project.load(vms), vms, false);
    }
}
