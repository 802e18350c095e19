package io.qemucompose.cli.command;

import io.qemucompose.apply.LaunchedVms;
import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.GlobalOptions;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.cli.QemuComposeCli;
import io.qemucompose.cli.UserFacingException;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.state.ProjectLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code qemu-compose launch NAME --image IMAGE}: adds a VM to the desired state without editing the
 * user's compose file, as the controller seed's Launch does, then starts it ({@code up NAME
 * --no-wait}) unless {@code --no-start}. The VM is written to {@code .qemu-compose/launched.yaml},
 * which the reconciler owns and every command merges after the project's files, so {@code ps},
 * {@code plan} and {@code watch} see it like any other VM; the loader checks it as it checks any
 * file, and a refused launch leaves the file as it was.
 */
@Command(name = "launch", mixinStandardHelpOptions = true,
        description = "Add a VM to the desired state (in .qemu-compose/launched.yaml, owned by qemu-compose) and start it.")
public final class LaunchCommand implements Callable<Integer> {

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME")
    private String name;

    @Option(names = "--image", required = true, paramLabel = "IMAGE", description = "A path, URL or short image name, as image: takes it.")
    private String image;

    @Option(names = "--cpu", paramLabel = "N")
    private Integer cpu;

    @Option(names = "--memory", paramLabel = "SIZE", description = "e.g. 1G or 768 (MiB)")
    private String memory;

    @Option(names = "--disk-size", paramLabel = "SIZE", description = "e.g. 10G")
    private String diskSize;

    @Option(names = "--no-start", description = "Only add it to the desired state; `up NAME` starts it.")
    private boolean noStart;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT", description = "text or json (of the start).")
    private String format;

    public LaunchCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        ComposeProject before = project.load();
        if (before.vms().containsKey(name)) {
            throw new UserFacingException("refused: a VM named '" + name + "' is in the desired state already", ExitCode.ERROR, null);
        }
        var layout = new ProjectLayout(before.projectDir());
        var launch = new LaunchedVms.Launch(name, absoluteIfLocal(image, env.cwd()),
                cpu == null ? OptionalInt.empty() : OptionalInt.of(cpu), Optional.ofNullable(memory), Optional.ofNullable(diskSize));
        new LaunchedVms(layout).add(launch, () -> {
            if (!project.load().vms().containsKey(name)) {
                throw new UserFacingException("refused: '" + name + "' is not an enabled VM of the project", ExitCode.ERROR, null);
            }
        });
        if (noStart) {
            env.out().println("Launched " + name + " (in " + before.projectDir().relativize(layout.launchedVmsFile())
                    + "); start it with: qemu-compose up " + name);
            return ExitCode.OK;
        }
        return QemuComposeCli.run(env, upArguments().toArray(String[]::new));
    }

    /** {@code up NAME --no-wait} with this command's own project options. */
    private List<String> upArguments() {
        GlobalOptions global = (GlobalOptions) spec.root().userObject();
        List<String> args = new ArrayList<>();
        global.files().forEach(f -> args.addAll(List.of("-f", f)));
        global.projectName().ifPresent(p -> args.addAll(List.of("-p", p)));
        global.profiles().forEach(p -> args.addAll(List.of("--profile", p)));
        args.addAll(List.of("up", name, "--no-wait", "--format", format));
        return args;
    }

    /** The file lives in .qemu-compose/: a relative path the user typed means the current folder. */
    private static String absoluteIfLocal(String image, Path cwd) {
        Path candidate = cwd.resolve(image);
        return !image.contains("://") && Files.exists(candidate) ? candidate.toAbsolutePath().normalize().toString() : image;
    }
}
