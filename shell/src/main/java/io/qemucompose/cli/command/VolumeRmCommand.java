package io.qemucompose.cli.command;

import io.qemucompose.driver.Drivers;
import io.qemucompose.apply.ProjectVolumes;
import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.cli.UserFacingException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code qemu-compose volume rm}: deletes volumes and their data; refuses while a running VM uses one. */
@Command(name = "rm", aliases = "remove", mixinStandardHelpOptions = true,
        description = "Remove named volumes and their data. Refused while a running VM uses the volume.")
public final class VolumeRmCommand implements Callable<Integer> {

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Parameters(paramLabel = "VOLUME", arity = "1..*", description = "Volumes to remove.")
    private List<String> names = new ArrayList<>();

    public VolumeRmCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        try (Drivers drivers = Drivers.forUser(env.env())) {
            ProjectVolumes volumes = new ProjectVolumes(project.load(), drivers);
            List<String> failures = new ArrayList<>();
            for (String name : names) {
                try {
                    if (volumes.remove(name)) {
                        env.out().println(name);
                    } else {
                        failures.add("no volume named " + name);
                    }
                } catch (ProjectVolumes.VolumeInUseException | IllegalArgumentException e) {
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
