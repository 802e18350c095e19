package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.cli.UserFacingException;
import io.qemucompose.driver.Drivers;
import io.qemucompose.driver.qemu.GuestAgentClient;
import io.qemucompose.spec.ComposeProject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code qemu-compose cp VM:PATH HOSTPATH} and {@code cp HOSTPATH VM:PATH}, as docker compose's cp,
 * through the guest agent's {@code guest-file-*} commands (no SSH needed). One regular file per call;
 * a host folder as the destination receives the file under its own name.
 */
@Command(name = "cp", mixinStandardHelpOptions = true,
        description = "Copy a file between the host and a VM (VM:PATH on one side) through the guest agent.")
public final class CpCommand implements Callable<Integer> {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Parameters(index = "0", paramLabel = "SRC", description = "VM:PATH or a host path")
    private String source;

    @Parameters(index = "1", paramLabel = "DEST", description = "VM:PATH or a host path")
    private String destination;

    public CpCommand(CommandEnvironment env) {
        this.env = env;
    }

    /** {@code web:/etc/hostname} → (web, /etc/hostname); a host path (./a:b too, or an absolute one) → null. */
    record GuestPath(String vm, String path) {
        static GuestPath parse(String text) {
            int colon = text.indexOf(':');
            if (colon <= 0 || text.startsWith("/") || text.startsWith(".")) {
                return null;
            }
            String path = text.substring(colon + 1);
            if (!path.startsWith("/")) {
                throw new UserFacingException("the path in the VM must be absolute: " + text, ExitCode.USAGE, null);
            }
            return new GuestPath(text.substring(0, colon), path);
        }
    }

    @Override
    public Integer call() throws Exception {
        GuestPath from = GuestPath.parse(source);
        GuestPath to = GuestPath.parse(destination);
        if ((from == null) == (to == null)) {
            throw new UserFacingException("exactly one of SRC and DEST must be VM:PATH", ExitCode.USAGE, null);
        }
        GuestPath guest = from != null ? from : to;
        ComposeProject compose = project.load(List.of(guest.vm()));
        try (Drivers drivers = Drivers.forUser(env.env());
             GuestAgentClient agent = GuestAgentClient.connect(
                     RunningVm.require(compose, guest.vm(), drivers).guestAgentSocket(), Duration.ofSeconds(15))) {
            if (from != null) {
                Path target = env.cwd().resolve(destination);
                if (Files.isDirectory(target)) {
                    target = target.resolve(Path.of(from.path()).getFileName().toString());
                }
                Files.write(target, agent.readFile(from.path(), CALL_TIMEOUT));
            } else {
                Path file = env.cwd().resolve(source);
                if (!Files.isRegularFile(file)) {
                    throw new UserFacingException(source + " is not a regular file");
                }
                String path = to.path().endsWith("/") ? to.path() + file.getFileName() : to.path();
                agent.writeFile(path, Files.readAllBytes(file), CALL_TIMEOUT);
            }
        }
        return ExitCode.OK;
    }
}
