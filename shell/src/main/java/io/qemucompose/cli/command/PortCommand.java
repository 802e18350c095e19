package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.cli.UserFacingException;
import io.qemucompose.driver.Drivers;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.VmSpec;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.ProjectState;
import io.qemucompose.state.StateStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code qemu-compose port web 80}: prints {@code 127.0.0.1:8080}, as docker compose port does. */
@Command(name = "port", mixinStandardHelpOptions = true,
        description = "Print the host address a guest port is published on (22 is the VM's SSH forward).")
public final class PortCommand implements Callable<Integer> {

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Parameters(index = "0", paramLabel = "VM", description = "The VM.")
    private String vm;

    @Parameters(index = "1", paramLabel = "GUEST_PORT[/PROTO]", description = "The port inside the guest, tcp by default.")
    private String guestPort;

    public PortCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        PortLookup.GuestPort guest = PortLookup.parse(guestPort);
        ComposeProject compose = project.load(List.of(vm));
        VmSpec spec = compose.vms().get(VmSelection.of(compose, List.of(vm)).getFirst());
        try (Drivers drivers = Drivers.forUser(env.env())) {
            if (!drivers.systemd().unit(VmSelection.unit(compose, vm)).isActive()) {
                throw new UserFacingException(vm + " is not running: nothing is published");
            }
        }
        Optional<Integer> ssh = new StateStore(new ProjectLayout(compose.projectDir())).read().vm(vm)
                .map(ProjectState.VmRecord::sshPort);
        Optional<String> address = PortLookup.find(spec, ssh, guest);
        if (address.isEmpty()) {
            throw new UserFacingException(vm + ": guest port " + guest + " is not published (add it to vms." + vm
                    + ".ports)");
        }
        env.out().println(address.get());
        return ExitCode.OK;
    }
}
