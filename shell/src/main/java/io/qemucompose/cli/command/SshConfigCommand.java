package io.qemucompose.cli.command;

import io.qemucompose.driver.Drivers;
import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.VmSpec;
import io.qemucompose.status.GuestNic;
import io.qemucompose.status.NicAddresses;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code qemu-compose ssh-config [vm...]}: OpenSSH {@code Host} blocks like {@code vagrant ssh-config},
 * so that {@code ssh -F <(qemu-compose ssh-config) web} and editors' remote plugins work. A VM on
 * bridge networks also gets a {@code Host <vm>.<network>} block per network with its address there
 * (the one networks.json reserves, which dnsmasq hands out), for VM-to-VM use and direct access.
 */
@Command(name = "ssh-config", mixinStandardHelpOptions = true,
        description = {"Print an OpenSSH config block per VM (use with ssh -F, or append to ~/.ssh/config).",
                "A VM on bridge networks also gets a block <vm>.<network> with its address on that network."})
public final class SshConfigCommand implements Callable<Integer> {

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Parameters(paramLabel = "VM", arity = "0..*", description = "Only these VMs (default: all with an SSH port).")
    private List<String> vms = new ArrayList<>();

    public SshConfigCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        ComposeProject compose = project.load(vms);
        List<VmSpec> selected = vms.isEmpty() ? List.copyOf(compose.vms().values())
                : vms.stream().map(v -> InspectCommand.requireVm(compose, v)).toList();
        NicAddresses addresses = NicAddresses.read(compose);
        // rootless mode: the bridge addresses live in the project's namespace, which the host reaches
        // only by entering it (asked only when a selected VM is on a network)
        boolean rootless = false;
        Optional<String> proxy = Optional.empty();
        if (selected.stream().anyMatch(v -> !v.networks().isEmpty())) {
            try (Drivers drivers = Drivers.forUser(env.env())) {
                rootless = drivers.networkMode().rootless();
                if (rootless) {
                    proxy = drivers.projectNamespace(compose.name()).map(ns -> String.join(" ",
                            ns.enter(List.of(drivers.tool("socat", "socat"), "-", "TCP:%h:%p"))));
                    if (proxy.isEmpty()) {
                        env.err().println("the project's network namespace is not running: no Host <vm>.<network>"
                                + " blocks (run `qemu-compose up`)");
                    }
                }
            }
        }
        boolean first = true;
        for (VmSpec vm : selected) {
            Optional<SshAccess> access = SshAccess.of(compose, vm);
            if (access.isEmpty()) {
                if (!vms.isEmpty()) {
                    SshAccess.require(compose, vm); // named explicitly: say why there is nothing
                }
                continue;
            }
            if (!first) {
                env.out().println();
            }
            env.out().print(access.get().configBlock());
            for (GuestNic nic : addresses.of(vm.name(), vm.networks(), Optional.of(access.get().port()), true)) {
                if (nic instanceof GuestNic.Bridge bridge) {
                    Optional<String> address = bridge.reserved().or(bridge::leased);
                    if (address.isPresent() && (!rootless || proxy.isPresent())) {
                        env.out().println();
                        env.out().print(access.get().onBridge(bridge.network(), address.get(), proxy).configBlock());
                    }
                }
            }
            first = false;
        }
        return ExitCode.OK;
    }
}
