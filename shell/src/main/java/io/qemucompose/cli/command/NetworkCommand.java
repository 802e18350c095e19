package io.qemucompose.cli.command;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code qemu-compose network}: the project's bridge networks. */
@Command(name = "network", mixinStandardHelpOptions = true,
        description = "List and remove the project's bridge networks (bridge, DHCP and DNS by dnsmasq).",
        subcommands = {NetworkLsCommand.class, NetworkRmCommand.class})
public final class NetworkCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing network command (ls or rm).");
    }
}
