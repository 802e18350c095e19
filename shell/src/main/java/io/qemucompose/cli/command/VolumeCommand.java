package io.qemucompose.cli.command;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code qemu-compose volume}: the project's named volumes (they outlive VMs). */
@Command(name = "volume", mixinStandardHelpOptions = true,
        description = "List and remove the project's named volumes (they survive stop and destroy).",
        subcommands = {VolumeLsCommand.class, VolumeRmCommand.class})
public final class VolumeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing volume command (ls or rm).");
    }
}
