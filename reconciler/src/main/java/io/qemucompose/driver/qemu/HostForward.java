package io.qemucompose.driver.qemu;

import java.util.Objects;

/** A user-mode networking port forward: {@code hostIp:hostPort} on the host to {@code guestPort} in the guest. */
public record HostForward(Protocol protocol, String hostIp, int hostPort, int guestPort) {

    public enum Protocol { TCP, UDP }

    public HostForward {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(hostIp, "hostIp");
        if (!hostIp.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("host forward address '" + hostIp + "' is not an IPv4 address");
        }
        checkPort("host", hostPort);
        checkPort("guest", guestPort);
    }

    public static HostForward tcp(String hostIp, int hostPort, int guestPort) {
        return new HostForward(Protocol.TCP, hostIp, hostPort, guestPort);
    }

    private static void checkPort(String side, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(side + " port " + port + " is outside 1-65535");
        }
    }
}
