package io.qemucompose.daemon.api;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Who may use the daemon, checked once for every request, the page's and the WebSockets' included.
 * It is a Tomcat valve, so it runs before any servlet filter, Tomcat's WebSocket upgrade filter
 * among them.
 *
 * <ul>
 *   <li>The Unix socket is guarded by its mode (0600 in a 0700 folder): anything arriving there is
 *       the user.</li>
 *   <li>Over loopback TCP every request needs the token of {@code api.token}: in
 *       {@code Authorization: Bearer <token>}, or, for a WebSocket (a browser cannot set headers on
 *       one), as the subprotocol {@code bearer.<token>} of {@code Sec-WebSocket-Protocol}. The page's
 *       static files (the same in every installation, no project data) are the exception: the
 *       browser loads them before it has the token, which the page then takes from the URL
 *       fragment (never sent to a server).</li>
 *   <li>A TCP request must name the listener itself as {@code Host} (127.0.0.1:PORT or
 *       localhost:PORT), so a DNS-rebinding page cannot talk to it under its own name.</li>
 *   <li>A WebSocket handshake that carries an {@code Origin} must come from the page's own origin
 *       ({@code http://<Host>}): WebSockets are exempt from the browser's same-origin policy.</li>
 * </ul>
 */
final class ApiGuard extends ValveBase {

    /** The page and its libraries; everything else (data, actions, events, WebSockets) needs the token. */
    private static final Set<String> PAGE = Set.of("/", "/index.html", "/app.js", "/app.css", "/favicon.ico");
    private static final String VENDOR = "/vendor/";
    static final String SUBPROTOCOL = "qemu-compose";
    static final String TOKEN_SUBPROTOCOL_PREFIX = "bearer.";

    private final int tcpPort;
    private final byte[] token;

    /** {@code tcpPort} 0 and {@code token} null: no TCP listener. */
    ApiGuard(int tcpPort, String token) {
        super(true);
        this.tcpPort = tcpPort;
        this.token = token == null ? null : token.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        boolean overTcp = token != null && request.getConnector().getPort() == tcpPort;
        if (overTcp && !ownHost(request.getHeader("Host"))) {
            refuse(response, 421, "Misdirected Request", "this listener answers to 127.0.0.1:" + tcpPort
                    + " or localhost:" + tcpPort + " only");
            return;
        }
        boolean upgrade = "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
        if (upgrade && !sameOrigin(request.getHeader("Origin"), request.getHeader("Host"))) {
            refuse(response, 403, "Forbidden", "a WebSocket must be opened by the daemon's own page");
            return;
        }
        if (overTcp && !isPage(request) && !authorized(request, upgrade)) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"qemu-compose\"");
            refuse(response, 401, "Unauthorized", "send Authorization: Bearer <the token in .qemu-compose/api.token>");
            return;
        }
        getNext().invoke(request, response);
    }

    private boolean ownHost(String host) {
        return ("127.0.0.1:" + tcpPort).equals(host) || ("localhost:" + tcpPort).equals(host);
    }

    static boolean sameOrigin(String origin, String host) {
        return origin == null || (host != null && origin.equals("http://" + host));
    }

    private static boolean isPage(Request request) {
        String method = request.getMethod();
        String path = request.getRequestURI();
        return ("GET".equals(method) || "HEAD".equals(method)) && (PAGE.contains(path)
                || (path.startsWith(VENDOR) && !path.contains("..")));
    }

    private boolean authorized(Request request, boolean upgrade) {
        String header = request.getHeader("Authorization");
        if (header != null && header.startsWith("Bearer ") && matches(header.substring(7))) {
            return true;
        }
        if (upgrade) {
            String protocols = request.getHeader("Sec-WebSocket-Protocol");
            if (protocols != null) {
                for (String p : protocols.split(",")) {
                    String offered = p.strip();
                    if (offered.startsWith(TOKEN_SUBPROTOCOL_PREFIX)
                            && matches(offered.substring(TOKEN_SUBPROTOCOL_PREFIX.length()))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private boolean matches(String given) {
        return MessageDigest.isEqual(token, given.getBytes(StandardCharsets.US_ASCII));
    }

    private static void refuse(Response response, int status, String title, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\"}");
        response.finishResponse();
    }
}
