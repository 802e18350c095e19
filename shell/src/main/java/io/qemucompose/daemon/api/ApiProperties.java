package io.qemucompose.daemon.api;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param listen {@code 127.0.0.1:PORT} for the loopback TCP listener (bearer token required), or
 *               empty for the Unix socket only
 */
@ConfigurationProperties("qemucompose.api")
public record ApiProperties(String listen) {

    public boolean tcp() {
        return listen != null && !listen.isBlank();
    }

    public int port() {
        return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    }
}
