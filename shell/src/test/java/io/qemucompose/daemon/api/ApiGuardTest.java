package io.qemucompose.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qemucompose.state.ProjectLayout;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.tomcat.autoconfigure.WebSocketTomcatWebServerFactoryCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServer;

/**
 * The daemon's protection on a real Tomcat with {@link ApiServer}'s connectors, valve and
 * WebSockets: the token over TCP (header, or the WebSocket subprotocol), the page's static files,
 * the Host and Origin checks, and the console bridge carrying bytes both ways to a Unix socket that
 * stands in for QEMU's {@code console.sock}.
 */
@Timeout(60)
class ApiGuardTest {

    @TempDir
    Path project;

    private WebServer server;
    private int port;
    private String token;
    private ProjectLayout layout;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        layout = new ProjectLayout(project);
        var commands = new CommandFace(Map.of(), project, java.util.List.of());
        var api = new ApiServer(layout, new ApiProperties("127.0.0.1:" + port), commands);
        var factory = new TomcatServletWebServerFactory(0);
        // as in the daemon: Spring Boot's Tomcat auto-configuration starts the WebSocket server
        new WebSocketTomcatWebServerFactoryCustomizer().customize(factory);
        api.customize(factory);
        server = factory.getWebServer(context -> context.addServlet("echo", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().write("reached " + req.getRequestURI());
            }
        }).addMapping("/"));
        server.start();
        token = Files.readString(layout.apiTokenFile()).strip();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void tcpRequestsNeedTheTokenButThePageItselfDoesNot() throws Exception {
        assertThat(get("/vms", Map.of()).statusCode()).isEqualTo(401);
        assertThat(get("/vms", Map.of("Authorization", "Bearer x" + token)).statusCode()).isEqualTo(401);
        HttpResponse<String> ok = get("/vms", Map.of("Authorization", "Bearer " + token));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("reached /vms");
        // the page's files carry no project data: the browser loads them before it has the token
        assertThat(get("/app.js", Map.of()).body()).isEqualTo("reached /app.js");
        assertThat(get("/vendor/xterm/lib/xterm.mjs", Map.of()).body()).isEqualTo("reached /vendor/xterm/lib/xterm.mjs");
        assertThat(get("/events", Map.of()).statusCode()).isEqualTo(401);
    }

    @Test
    void tcpRequestsUnderAnotherHostNameAreRefused() throws Exception {
        // what a DNS-rebinding page would send: its own name, resolving to 127.0.0.1
        try (SocketChannel raw = SocketChannel.open(new java.net.InetSocketAddress("127.0.0.1", port))) {
            raw.write(ByteBuffer.wrap(("GET /app.js HTTP/1.1\r\nHost: rebind.example:" + port
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            String reply = new String(raw.socket().getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(reply).startsWith("HTTP/1.1 421");
        }
    }

    @Test
    void theConsoleWebSocketBridgesBytesBothWaysWithTheTokenAsSubprotocol() throws Exception {
        Path socket = layout.reachableSocket(layout.consoleSocket("web"));
        Files.createDirectories(layout.consoleSocket("web").getParent());
        try (ServerSocketChannel qemu = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            qemu.bind(UnixDomainSocketAddress.of(socket));
            var received = new LinkedBlockingQueue<String>();
            WebSocket ws = http.newWebSocketBuilder()
                    .subprotocols(ApiGuard.SUBPROTOCOL, ApiGuard.TOKEN_SUBPROTOCOL_PREFIX + token)
                    .header("Origin", "http://127.0.0.1:" + port)
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/vms/web/console"), collector(received))
                    .get(10, TimeUnit.SECONDS);
            assertThat(ws.getSubprotocol()).isEqualTo(ApiGuard.SUBPROTOCOL);
            try (SocketChannel guest = qemu.accept()) {
                guest.write(ByteBuffer.wrap("login: ".getBytes(StandardCharsets.US_ASCII)));
                assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("login: ");
                ws.sendText("root\r", true).get(10, TimeUnit.SECONDS);
                ByteBuffer typed = ByteBuffer.allocate(16);
                while (typed.position() < 5) {
                    guest.read(typed);
                }
                assertThat(new String(typed.array(), 0, typed.position(), StandardCharsets.US_ASCII)).isEqualTo("root\r");
            }
            ws.abort();
        }
    }

    @Test
    void aWebSocketWithoutTheTokenOrFromAnotherOriginIsRefused() {
        URI uri = URI.create("ws://127.0.0.1:" + port + "/vms/web/console");
        assertThatThrownBy(() -> http.newWebSocketBuilder().subprotocols(ApiGuard.SUBPROTOCOL)
                .buildAsync(uri, collector(new LinkedBlockingQueue<>())).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).rootCause().hasMessageContaining("401");
        assertThatThrownBy(() -> http.newWebSocketBuilder()
                .subprotocols(ApiGuard.SUBPROTOCOL, ApiGuard.TOKEN_SUBPROTOCOL_PREFIX + token)
                .header("Origin", "http://evil.example")
                .buildAsync(uri, collector(new LinkedBlockingQueue<>())).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).rootCause().hasMessageContaining("403");
    }

    @Test
    void theUnixSocketIsTheUsersOnly() throws Exception {
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(layout.apiSocket())))
                .isEqualTo("rw-------");
        try (SocketChannel unix = SocketChannel.open(UnixDomainSocketAddress.of(layout.reachableSocket(layout.apiSocket())))) {
            unix.write(ByteBuffer.wrap("GET /vms HTTP/1.1\r\nHost: api\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            String reply = new String(java.nio.channels.Channels.newInputStream(unix).readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(reply).startsWith("HTTP/1.1 200").endsWith("reached /vms");
        }
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static WebSocket.Listener collector(LinkedBlockingQueue<String> received) {
        return new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                received.add(StandardCharsets.UTF_8.decode(data).toString());
                webSocket.request(1);
                return CompletableFuture.completedFuture(null);
            }
        };
    }
}
