package io.qemucompose.daemon;

import io.qemucompose.driver.Drivers;
import io.qemucompose.watch.WatchLoop;
import io.qemucompose.watch.WatchOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;

/**
 * The background reconciler ({@code watch --detach}): the same {@link WatchLoop} as {@code watch}
 * in the foreground, hosted by Spring Boot for what a long-running process needs — typed settings
 * from its command line, logging, and an orderly shutdown: systemd's SIGTERM closes the context,
 * which stops the loop after the pass under way and closes the D-Bus connection.
 *
 * <p>No auto-configuration on purpose: the shell's classpath also carries Spring Shell, whose
 * auto-configuration would start an interactive shell in a process that has no terminal.
 */
@SpringBootConfiguration
@EnableConfigurationProperties(WatchProperties.class)
public class ReconcilerDaemon {

    public static void main(String[] args) {
        var application = new SpringApplication(ReconcilerDaemon.class);
        application.setBannerMode(Banner.Mode.OFF);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setLogStartupInfo(false);
        application.setDefaultProperties(Map.of("logging.level.root", "warn",
                "spring.application.name", "qemu-compose-reconciler"));
        application.run(args);
    }

    @Bean
    WatchRunner watchRunner(WatchProperties properties, ConfigurableApplicationContext context) {
        Map<String, String> env = System.getenv();
        WatchOptions options = WatchOptions.of(properties.files(), Path.of(System.getProperty("user.dir")),
                Optional.ofNullable(properties.projectName()).filter(s -> !s.isBlank()), env,
                properties.removeOrphans(), properties.resync(), "detached").withProfiles(properties.profiles());
        return new WatchRunner(options, Drivers.forUser(env), context);
    }

    /** Runs the loop on its own (non-daemon) thread for the context's lifetime. */
    static final class WatchRunner implements SmartLifecycle {
        private final WatchLoop loop;
        private final Drivers drivers;
        private final ConfigurableApplicationContext context;
        private Thread thread;

        WatchRunner(WatchOptions options, Drivers drivers, ConfigurableApplicationContext context) {
            this.drivers = drivers;
            this.context = context;
            this.loop = new WatchLoop(options, drivers, line -> {
                System.out.println(line);
                System.out.flush();
            });
        }

        @Override
        public void start() {
            thread = Thread.ofPlatform().name("qemu-compose-watch").start(() -> {
                try {
                    loop.run();
                } catch (RuntimeException e) {
                    System.out.println("reconciler: " + e.getMessage());
                    System.out.flush();
                    // the unit ends failed, which `status` reports
                    System.exit(SpringApplication.exit(context, () -> 1));
                }
            });
        }

        @Override
        public void stop() {
            loop.stop();
            try {
                loop.awaitFinished(Duration.ofSeconds(100));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            drivers.close();
        }

        @Override
        public boolean isRunning() {
            return thread != null && thread.isAlive();
        }
    }
}
