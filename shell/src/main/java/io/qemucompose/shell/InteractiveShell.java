package io.qemucompose.shell;

import io.qemucompose.driver.net.PortLeases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * {@code ./qemu-compose} with no arguments: the interactive shell. Spring Boot + Spring Shell give
 * the line editor, history and completion; every command typed runs the same picocli command
 * classes as a one-shot call (see {@link PicocliShellCommand}), so behaviour and exit codes match.
 */
@SpringBootApplication
public class InteractiveShell {
    static final String HISTORY_FILE = "history.log";

    public static void main(String[] args) {
        var application = new SpringApplication(InteractiveShell.class);
        application.setBannerMode(Banner.Mode.OFF);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setLogStartupInfo(false);
        // defaults in code, not application.properties: the jar also hosts the one-shot path
        // and, later, the daemon, which want their own settings
        application.setDefaultProperties(Map.of(
                "logging.level.root", "warn",
                "spring.shell.command.help.enabled", "false",       // picocli's help, same as one-shot
                "spring.shell.command.version.enabled", "false",    // our `version` command
                "spring.shell.history.name", historyFile(System.getenv(), Path.of(System.getProperty("user.home")))
                        .toString(),
                "spring.application.name", "qemu-compose"));
        application.run(args);
    }

    /**
     * {@code $XDG_STATE_HOME/qemu-compose/history.log} (default {@code ~/.local/state/qemu-compose/}),
     * beside the port registry; never the current folder, where it would end up in a project's
     * repository. Spring Shell takes a relative name as relative to the working directory.
     */
    static Path historyFile(Map<String, String> environment, Path userHome) {
        Path dir = PortLeases.defaultRegistryDir(environment, userHome);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + " for the shell's history: " + e.getMessage(), e);
        }
        return dir.resolve(HISTORY_FILE);
    }
}
