package io.qemucompose.cli.command;

import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.UserFacingException;
import io.qemucompose.spec.PortMapping;
import io.qemucompose.spec.VmSpec;
import java.util.Locale;
import java.util.Optional;

/** Where a guest port is published on the host: the {@code ports:} of the file, and SSH's leased forward. */
final class PortLookup {

    static final int SSH = 22;

    record GuestPort(int port, PortMapping.Protocol protocol) {
        @Override
        public String toString() {
            return port + "/" + protocol;
        }
    }

    private PortLookup() {}

    /** {@code 80}, {@code 80/tcp}, {@code 53/udp}. */
    static GuestPort parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length > 2) {
            throw invalid(text);
        }
        int port;
        try {
            port = Integer.parseInt(parts[0]);
        } catch (NumberFormatException e) {
            throw invalid(text);
        }
        if (port < 1 || port > 65535) {
            throw invalid(text);
        }
        PortMapping.Protocol protocol = PortMapping.Protocol.TCP;
        if (parts.length == 2) {
            try {
                protocol = PortMapping.Protocol.valueOf(parts[1].toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw invalid(text);
            }
        }
        return new GuestPort(port, protocol);
    }

    /**
     * {@code host:port}, or empty when the guest port is not published. SSH's forward comes first
     * for 22/tcp: it is the one every VM has, on the port leased to it.
     */
    static Optional<String> find(VmSpec vm, Optional<Integer> sshPort, GuestPort guest) {
        if (guest.port() == SSH && guest.protocol() == PortMapping.Protocol.TCP && sshPort.isPresent()) {
            return Optional.of(PortMapping.DEFAULT_HOST_IP + ":" + sshPort.get());
        }
        return vm.ports().stream()
                .filter(p -> p.guestPort() == guest.port() && p.protocol() == guest.protocol())
                .findFirst()
                .map(p -> p.hostIp() + ":" + p.hostPort());
    }

    private static UserFacingException invalid(String text) {
        return new UserFacingException("'" + text + "' is not a guest port: use PORT or PORT/tcp or PORT/udp (1-65535)",
                ExitCode.USAGE, null);
    }
}
