package io.qemucompose.daemon.api;

import io.qemucompose.state.AtomicFiles;
import io.qemucompose.state.ProjectLayout;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Where the API listens. Tomcat's NIO connector binds the Unix socket itself
 * ({@code unixDomainSocketPath}) and sets its mode ({@code unixDomainSocketPathPermissions});
 * the state folder is made 0700 first, so the socket is never reachable by another user even in
 * the instant between bind and chmod. A TCP connector is added only for {@code --listen}, on
 * 127.0.0.1, and every request through it must carry the token of {@code api.token} (0600).
 */
public final class ApiServer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private final ProjectLayout layout;
    private final ApiProperties properties;
    private final String token;

    public ApiServer(ProjectLayout layout, ApiProperties properties) {
        this.layout = layout;
        this.properties = properties;
        this.token = properties.tcp() ? writeToken(layout.apiTokenFile()) : null;
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
    }

    /** Requests over TCP need {@code Authorization: Bearer <token>}; the Unix socket is guarded by its mode. */
    public OncePerRequestFilter tokenFilter() {
        byte[] expected = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.US_ASCII);
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                boolean overTcp = properties.tcp() && request.getLocalPort() == properties.port();
                String given = request.getHeader("Authorization");
                if (overTcp && (given == null
                        || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.US_ASCII)))) {
                    response.setStatus(401);
                    response.setHeader("WWW-Authenticate", "Bearer realm=\"qemu-compose\"");
                    response.setContentType("application/problem+json");
                    response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
                            + "\"detail\":\"send Authorization: Bearer <the token in .qemu-compose/api.token>\"}");
                    return;
                }
                chain.doFilter(request, response);
            }
        };
    }

    private static String writeToken(Path file) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        AtomicFiles.write(file, (token + "\n").getBytes(StandardCharsets.US_ASCII), PosixFilePermissions.fromString("rw-------"));
        return token;
    }
}
