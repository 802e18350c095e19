package io.qemucompose.cli.command;

import io.qemucompose.apply.NetworkInUseException;
import io.qemucompose.apply.Reconciler;
import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.cli.UserFacingException;
import io.qemucompose.driver.Drivers;
import io.qemucompose.driver.network.CapNetAdmin;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.state.NetworkAllocations;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code qemu-compose network rm}: stops a network's dnsmasq, deletes its bridge and releases its
 * subnet; refused while a running VM is attached. A network of the file comes back with {@code up}.
 */
@Command(name = "rm", aliases = "remove", mixinStandardHelpOptions = true,
        description = {"Remove networks: their dnsmasq unit, bridge, subnet allocation and lease files.",
                "Refused while a running VM is attached. A network still in the file comes back with `up`."})
public final class NetworkRmCommand implements Callable<Integer> {

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Parameters(paramLabel = "NETWORK", arity = "1..*", description = "Networks to remove.")
    private List<String> names = new ArrayList<>();

    public NetworkRmCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        ComposeProject compose = project.load();
        try (Drivers drivers = Drivers.forUser(env.env())) {
            Reconciler reconciler = new Reconciler(compose, drivers);
            NetworkAllocations.File recorded = new NetworkAllocations(reconciler.layout()).read();
            List<String> failures = new ArrayList<>();
            for (String name : names) {
                if (!compose.networks().containsKey(name) && recorded.network(name).isEmpty()) {
                    failures.add("no network named " + name + " in project " + compose.name());
                    continue;
                }
                try {
                    if (reconciler.removeNetwork(name, line -> env.err().println(line))) {
                        env.out().println(name);
                    } else {
                        failures.add(compose.networks().containsKey(name)
                                ? "network " + name + " does not exist yet (`qemu-compose up` creates it)"
                                : "no network named " + name + " in project " + compose.name());
                    }
                } catch (NetworkInUseException | CapNetAdmin.MissingCapabilityException e) {
                    failures.add(e.getMessage());
                }
            }
            if (!failures.isEmpty()) {
                failures.stream().skip(1).forEach(f -> env.err().println("qemu-compose: " + f));
                throw new UserFacingException(failures.getFirst());
            }
            return ExitCode.OK;
        }
    }
}
