package io.qemucompose.cli.command;

import io.qemucompose.driver.Drivers;
import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.cli.UserFacingException;
import io.qemucompose.driver.image.Checksum;
import io.qemucompose.driver.image.ImagePullException;
import io.qemucompose.driver.image.ImagePuller;
import io.qemucompose.driver.image.ImageSource;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.VmSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qemu-compose pull [vm...|URL]}: downloads base images into the cache, all at once, with the
 * compose file's checksums; resumes a partial download; {@code --force} downloads again.
 */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = "Download the VMs' base images (or the image at URL) into the cache.")
public final class PullCommand implements Callable<Integer> {

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Parameters(paramLabel = "VM|URL", arity = "0..*",
            description = "VM names or image URLs (default: every VM of the compose file).")
    private List<String> targets = new ArrayList<>();

    @Option(names = "--force", description = "Download again even when the image is cached (as --policy always).")
    private boolean force;

    @Option(names = "--policy", defaultValue = "missing", paramLabel = "POLICY",
            description = "docker compose's pull policy: missing (default: keep what is cached) or always.")
    private String policy;

    @Option(names = "--checksum", paramLabel = "sha256:HEX|URL",
            description = "Checksum for an image given by URL (a VM's comes from its image_checksum).")
    private String checksum;

    public PullCommand(CommandEnvironment env) {
        this.env = env;
    }

    private static boolean isUrl(String target) {
        return target.contains("://") || target.startsWith("/") || target.startsWith("./") || target.startsWith("~/");
    }

    @Override
    public Integer call() throws Exception {
        switch (policy) {
            case "always" -> force = true;
            case "missing" -> { }
            default -> throw new UserFacingException("--policy takes missing or always, not '" + policy + "'",
                    ExitCode.USAGE, null);
        }
        List<ImagePuller.PullRequest> requests = new ArrayList<>();
        boolean onlyUrls = !targets.isEmpty() && targets.stream().allMatch(PullCommand::isUrl);
        // pull resolves short names (freebsd:14.1) again: a newer builder release is taken here, never by up
        ComposeProject compose = onlyUrls ? null : io.qemucompose.apply.ReleaseImages.resolve(project.load(targets),
                io.qemucompose.driver.image.ReleaseResolver.fromEnvironment(env.env()), true);
        try {
            if (targets.isEmpty()) {
                compose.vms().values().forEach(vm -> requests.add(request(compose, vm)));
            }
            for (String target : targets) {
                if (isUrl(target)) {
                    requests.add(new ImagePuller.PullRequest(onlyUrls && targets.size() == 1 ? "image" : target,
                            ImageSource.parse(target, env.cwd()),
                            Optional.ofNullable(checksum).map(Checksum::parse), force));
                } else {
                    requests.add(request(compose, InspectCommand.requireVm(compose, target)));
                }
            }
        } catch (ImagePullException e) {
            throw new UserFacingException(e.getMessage(), ExitCode.USAGE, e);
        }
        try (Drivers drivers = Drivers.forUser(env.env())) {
            if (onlyUrls && targets.size() == 1) {
                env.out().println("Pulling image: " + targets.getFirst());
            } else {
                env.out().println("Pulling " + requests.size() + " image(s) from " + compose.files().getFirst().getFileName());
            }
            env.out().println("Target directory: " + drivers.images().dir() + "/");
            env.out().println();
            env.out().flush();
            PullProgressView view = new PullProgressView(env.out(), env.stdoutIsTerminal());
            List<ImagePuller.PullOutcome> outcomes = drivers.puller().pullAll(requests, view);
            view.finish();
            int failed = 0;
            for (ImagePuller.PullOutcome outcome : outcomes) {
                switch (outcome) {
                    case ImagePuller.PullOutcome.Failed f -> {
                        failed++;
                        env.err().println("✗ " + f.request().label() + ": " + f.error().getMessage());
                    }
                    case ImagePuller.PullOutcome.Pulled p -> {
                        if (!p.image().downloaded() && !env.stdoutIsTerminal()) {
                            env.out().println(p.request().label() + ": already present (" + p.image().path() + ")");
                        } else if (p.image().resumed()) {
                            env.out().println(p.request().label() + ": resumed a partial download");
                        }
                    }
                }
            }
            env.out().println();
            if (failed > 0) {
                env.err().println("✗ " + failed + " of " + outcomes.size() + " image(s) could not be pulled");
                return ExitCode.ERROR;
            }
            env.out().println("✓ All images pulled successfully");
            return ExitCode.OK;
        }
    }

    private ImagePuller.PullRequest request(ComposeProject compose, VmSpec vm) {
        Optional<Checksum> sum = vm.image().checksum().map(c -> Checksum.parse(c.toString()));
        return new ImagePuller.PullRequest(vm.name(), ImageSource.parse(vm.image().location().toString(),
                compose.projectDir()), sum, force);
    }
}
