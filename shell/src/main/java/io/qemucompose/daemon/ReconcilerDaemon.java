package io.qemucompose.daemon;

import io.qemucompose.daemon.api.ApiProperties;
import io.qemucompose.daemon.api.ApiServer;
import io.qemucompose.daemon.api.CommandFace;
import io.qemucompose.daemon.api.DeferredOpenApi;
import io.qemucompose.daemon.api.EventHub;
import io.qemucompose.daemon.api.LeanMvc;
import io.qemucompose.driver.Drivers;
import io.qemucompose.events.ProjectEvent;
import io.qemucompose.events.ProjectEvents;
import io.qemucompose.events.StatusEvents;
import io.qemucompose.state.ProjectLayout;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.ComponentScan;
import io.qemucompose.watch.WatchLoop;
import io.qemucompose.watch.WatchOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.Banner;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The background reconciler ({@code watch --detach}): the same {@link WatchLoop} as {@code watch}
 * in the foreground, hosted by Spring Boot for what a long-running process needs — typed settings
 * from its command line, logging, and an orderly shutdown: systemd's SIGTERM closes the context,
 * which stops the loop after the pass under way and closes the D-Bus connection.
 *
 * <p>It also serves the HTTP API ({@code io.qemucompose.daemon.api}, docs/api.md) on
 * {@code .qemu-compose/api.sock}. Only the auto-configurations the API needs are imported, by name:
 * the shell's classpath also carries Spring Shell, whose auto-configuration would start an
 * interactive shell in a process that has no terminal, and every further one costs memory.
 */
// no CGLIB subclass: no bean method here calls another (each takes what it needs as a parameter)
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties({WatchProperties.class, ApiProperties.class})
@ImportAutoConfiguration(classes = {
        org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration.class,
        org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration.class,
        org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration.class,
        org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration.class,
        org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration.class,
        org.springdoc.core.configuration.SpringDocConfiguration.class,
        org.springdoc.core.properties.SpringDocConfigProperties.class,
        org.springdoc.webmvc.core.configuration.SpringDocWebMvcConfiguration.class})
@ComponentScan(basePackageClasses = ApiServer.class)
public class ReconcilerDaemon {

    public static void main(String[] args) {
        // Spring Boot's background pre-initializer warms up, on a thread of its own, things a server
        // might use: Bean Validation (Hibernate Validator), Jackson 2's YAML converter, charsets. The
        // daemon uses none of them, and each stays resident once loaded (scripts/bench-daemon)
        System.setProperty("spring.backgroundpreinitializer.ignore", "true");
        var application = new SpringApplication(ReconcilerDaemon.class);
        application.setBannerMode(Banner.Mode.OFF);
        application.setWebApplicationType(WebApplicationType.SERVLET);
        application.setLogStartupInfo(false);
        application.setDefaultProperties(Map.of("logging.level.root", "warn",
                "spring.application.name", "qemu-compose-reconciler",
                // the Unix socket replaces the default connector's TCP port (ApiServer)
                "server.port", "0",
                "spring.mvc.problemdetails.enabled", "true",
                // parses form bodies of PUT/PATCH/DELETE, which the API does not take; its form
                // converter would build every converter the classpath offers, Jackson 2's YAML one too
                "spring.mvc.formcontent.filter.enabled", "false",
                "server.tomcat.threads.max", "8",
                "server.tomcat.threads.min-spare", "1",
                "springdoc.api-docs.path", "/openapi.json",
                // the web page (index.html, app.js and the npm libraries under vendor/), from the jar
                "spring.web.resources.static-locations", "classpath:/io/qemucompose/daemon/web/",
                // beans (springdoc's, the controllers, Jackson's converters) are made when first used: the
                // OpenAPI document's classes load only if someone asks for it (scripts/bench-daemon)
                "spring.main.lazy-initialization", "true"));
        application.run(args);
    }

    @Bean
    WatchRunner watchRunner(WatchProperties properties, ConfigurableApplicationContext context, EventHub hub) {
        Map<String, String> env = System.getenv();
        WatchOptions options = WatchOptions.of(properties.files(), Path.of(System.getProperty("user.dir")),
                Optional.ofNullable(properties.projectName()).filter(s -> !s.isBlank()), env,
                properties.removeOrphans(), properties.resync(), "detached").withProfiles(properties.profiles());
        return new WatchRunner(options, Drivers.forUser(env), context, hub);
    }

    @Bean
    CommandFace commandFace(WatchProperties properties) {
        List<String> options = new ArrayList<>();
        properties.files().forEach(f -> options.addAll(List.of("-f", f)));
        Optional.ofNullable(properties.projectName()).filter(s -> !s.isBlank()).ifPresent(p -> options.addAll(List.of("-p", p)));
        return new CommandFace(System.getenv(), Path.of(System.getProperty("user.dir")), options);
    }

    /** The event sources must run from the start, whether or not a stream is open: not lazy. */
    @Bean
    static LazyInitializationExcludeFilter eagerEventSources() {
        return LazyInitializationExcludeFilter.forBeanTypes(ProjectEvents.class, StatusEvents.class, EventHub.class);
    }

    /** springdoc's beans are made at the first request for the document, not at start (see {@link DeferredOpenApi}). */
    @Bean
    static DeferredOpenApi deferredOpenApi() {
        return new DeferredOpenApi();
    }

    @Bean
    static FilterRegistrationBean<DeferredOpenApi> deferredOpenApiFilter(DeferredOpenApi deferred) {
        var registration = new FilterRegistrationBean<>(deferred);
        registration.setUrlPatterns(DeferredOpenApi.PATHS);
        return registration;
    }

    /** Spring MVC without Bean Validation and without a YAML converter (see {@link LeanMvc}). */
    @Bean
    static WebMvcConfigurer leanMvc() {
        return new LeanMvc();
    }

    @Bean
    EventHub eventHub() {
        return new EventHub();
    }

    @Bean
    ApiServer apiServer(CommandFace commands, ApiProperties properties) {
        return new ApiServer(new ProjectLayout(projectDir(commands)), properties, commands);
    }

    /**
     * Readiness and health changes, from {@code ps}'s own probe run through the command face (so
     * they follow the daemon's compose files), probed when a unit or QMP event says something moved.
     */
    @Bean(destroyMethod = "close")
    StatusEvents statusEvents(CommandFace commands, EventHub hub) {
        return new StatusEvents(() -> StatusRows.fromPsJson(commands.run("ps", "--format", "json",
                "--probe-timeout", "10")), hub, Clock.systemUTC()).start();
    }

    /** Unit changes and QMP events of the file's VMs, from their sources, into every event stream. */
    @Bean(destroyMethod = "close")
    ProjectEvents projectEvents(CommandFace commands, EventHub hub, StatusEvents status) {
        CommandFace.Outcome name = commands.run("config", "--format", "json");
        var config = tools.jackson.databind.json.JsonMapper.builder().build().readTree(name.out());
        List<String> vms = new ArrayList<>();
        config.path("vms").propertyNames().forEach(vms::add);
        Drivers drivers = Drivers.forUser(System.getenv());
        return new ProjectEvents(config.path("name").asString(), new ProjectLayout(projectDir(commands)), vms,
                drivers.systemd(), event -> {
                    hub.accept(event);
                    status.nudge(); // a unit or QEMU moved: readiness may have changed
                }, Clock.systemUTC()).start();
    }

    private static Path projectDir(CommandFace commands) {
        return Path.of(System.getProperty("user.dir"));
    }

    /** Runs the loop on its own (non-daemon) thread for the context's lifetime. */
    static final class WatchRunner implements SmartLifecycle {
        private final WatchLoop loop;
        private final Drivers drivers;
        private final ConfigurableApplicationContext context;
        private Thread thread;

        WatchRunner(WatchOptions options, Drivers drivers, ConfigurableApplicationContext context, EventHub hub) {
            this.drivers = drivers;
            this.context = context;
            this.loop = new WatchLoop(options, drivers, line -> {
                System.out.println(line);
                System.out.flush();
                // each line of the loop (a pass, a planned change, an action) is an event too
                hub.accept(new ProjectEvent(Instant.now(), "reconciler", null, "log", Map.of("line", line.strip())));
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
