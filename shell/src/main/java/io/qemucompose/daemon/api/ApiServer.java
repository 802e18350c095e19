package io.qemucompose.daemon.api;

import io.qemucompose.state.AtomicFiles;
import io.qemucompose.state.ProjectLayout;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Where the API listens. Tomcat's NIO connector binds the Unix socket itself
 * ({@code unixDomainSocketPath}) and sets its mode ({@code unixDomainSocketPathPermissions});
 * the state folder is made 0700 first, so the socket is never reachable by another user even in
 * the instant between bind and chmod. A TCP connector is added only for {@code --listen}, on
 * 127.0.0.1, and every request through it must carry the token of {@code api.token} (0600):
 * {@link ApiGuard} checks each request, the page's WebSockets included, before anything else runs.
 *
 * <p>The WebSockets ({@code /vms/{vm}/console}, {@code /vms/{vm}/vnc}) are Tomcat's own Jakarta
 * WebSocket server (tomcat-embed-websocket, on the classpath with Tomcat and started by Spring Boot's
 * Tomcat auto-configuration), not Spring's WebSocket module: two byte bridges need no messaging framework.
 */
public final class ApiServer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private final ProjectLayout layout;
    private final ApiProperties properties;
    private final String token;

    private final VmSockets sockets;

    public ApiServer(ProjectLayout layout, ApiProperties properties, CommandFace commands) {
        this.layout = layout;
        this.properties = properties;
        this.token = properties.tcp() ? writeToken(layout.apiTokenFile()) : null;
        this.sockets = new VmSockets(layout, commands);
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        Path socket = layout.reachableSocket(layout.apiSocket());
        try {
            Files.setPosixFilePermissions(layout.createStateDir(), PosixFilePermissions.fromString("rwx------"));
            Files.deleteIfExists(socket); // left by a daemon that was killed; this project has one daemon (its unit)
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + socket + ": " + e.getMessage(), e);
        }
        factory.addConnectorCustomizers(connector -> {
            connector.setProperty("unixDomainSocketPath", socket.toString());
            connector.setProperty("unixDomainSocketPathPermissions", "rw-------");
        });
        if (properties.tcp()) {
            var tcp = new Connector("org.apache.coyote.http11.Http11NioProtocol");
            tcp.setPort(properties.port());
            tcp.setProperty("address", "127.0.0.1");
            factory.addAdditionalConnectors(tcp);
        }
        factory.addContextValves(new ApiGuard(properties.tcp() ? properties.port() : 0, token));
        // Spring Boot's Tomcat auto-configuration starts Tomcat's WebSocket server (WsSci) when it is on
        // the classpath; the endpoints are added once every initializer ran, to the container that won
        // (the one the upgrade filter will use)
        factory.addContextCustomizers(context -> context.addServletContainerInitializer((classes, servletContext) ->
                servletContext.addListener(new ServletContextListener() {
                    @Override
                    public void contextInitialized(ServletContextEvent event) {
                        var container = (ServerContainer) event.getServletContext().getAttribute(ServerContainer.class.getName());
                        if (container == null) {
                            throw new IllegalStateException("Tomcat's WebSocket server is not running (tomcat-embed-websocket missing?)");
                        }
                        try {
                            container.addEndpoint(bridge("/vms/{vm}/console", () -> new SocketBridge(sockets::console)));
                            container.addEndpoint(bridge("/vms/{vm}/vnc", () -> new SocketBridge(sockets::vnc)));
                        } catch (DeploymentException e) {
                            throw new IllegalStateException("cannot serve the WebSockets: " + e.getMessage(), e);
                        }
                    }
                }), null));
    }

    private static ServerEndpointConfig bridge(String path, Supplier<Endpoint> endpoint) {
        return ServerEndpointConfig.Builder.create(SocketBridge.class, path)
                .subprotocols(List.of(ApiGuard.SUBPROTOCOL))
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> type) {
                        return type.cast(endpoint.get());
                    }
                })
                .build();
    }

    private static String writeToken(Path file) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        AtomicFiles.write(file, (token + "\n").getBytes(StandardCharsets.US_ASCII), PosixFilePermissions.fromString("rw-------"));
        return token;
    }
}
