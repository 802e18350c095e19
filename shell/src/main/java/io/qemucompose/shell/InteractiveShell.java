package io.qemucompose.shell;

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
                "spring.shell.history.name", "qemu-compose-history.log",
                "spring.application.name", "qemu-compose"));
        application.run(args);
    }
}
