package io.qemucompose.spec;

/**
 * A host port forwarded to a guest port (QEMU user-mode {@code hostfwd}).
 * {@code hostIp} defaults to 127.0.0.1: forwarding to all interfaces must be asked for.
 */
public record PortMapping(String hostIp, int hostPort, int guestPort, Protocol protocol) {
    public static final String DEFAULT_HOST_IP = "127.0.0.1";

    public enum Protocol {
        TCP, UDP;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
