package io.qemucompose.spec;

import io.qemucompose.spec.SourceNode.Pos;
import java.util.ArrayList;
import java.util.List;

/**
 * Every host port the file asks for (published ports and fixed {@code ssh.port}s), so that two of
 * them on the same address and protocol are refused at load time, naming both places; QEMU would
 * only fail at {@code up}, with "Could not set up host forwarding rule".
 */
final class PortClaims {
    private static final String ANY_ADDRESS = "0.0.0.0";

    /** {@code role} reads after "also": "published by vms.web.ports[0]". */
    private record Claim(String hostIp, int port, PortMapping.Protocol protocol, String path, String role, Pos pos) {
        String where() {
            return pos.file() + ":" + pos.line() + ":" + pos.column();
        }

        boolean conflictsWith(Claim other) {
            return port == other.port && protocol == other.protocol
                    && (hostIp.equals(other.hostIp) || hostIp.equals(ANY_ADDRESS) || other.hostIp.equals(ANY_ADDRESS));
        }
    }

    private final List<Claim> claims = new ArrayList<>();

    void published(PortMapping port, String path, Pos pos) {
        claims.add(new Claim(port.hostIp(), port.hostPort(), port.protocol(), path, "published by " + path, pos));
    }

    /** SSH is forwarded from 127.0.0.1 (see HostForward). */
    void ssh(int port, String path, Pos pos) {
        claims.add(new Claim(PortMapping.DEFAULT_HOST_IP, port, PortMapping.Protocol.TCP, path, "the fixed SSH port " + path, pos));
    }

    /** Each claim that conflicts with an earlier one is a problem at its own place, naming the earlier's. */
    void check(Fields fields) {
        for (int j = 0; j < claims.size(); j++) {
            Claim later = claims.get(j);
            for (int i = 0; i < j; i++) {
                Claim earlier = claims.get(i);
                if (later.conflictsWith(earlier)) {
                    fields.problem(later.pos(), later.path(),
                            "host port " + later.hostIp() + ":" + later.port() + "/" + later.protocol()
                                    + " is also " + earlier.role() + " at " + earlier.where()
                                    + "; each host port can be forwarded to one VM port only");
                    break;
                }
            }
        }
    }
}
