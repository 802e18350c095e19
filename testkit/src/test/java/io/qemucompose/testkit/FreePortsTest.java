package io.qemucompose.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void leasedPortsAreDistinctBindableAndBelowTheEphemeralRange() throws Exception {
        var leases = new ArrayList<FreePorts.PortLease>();
        try {
            for (int i = 0; i < 50; i++) {
                leases.add(FreePorts.lease());
            }
            var ports = new HashSet<Integer>();
            leases.forEach(lease -> ports.add(lease.port()));
            assertThat(ports).hasSize(50).allMatch(p -> p >= 20000 && p < 32768);
            try (var socket = new ServerSocket(leases.getFirst().port(), 1, InetAddress.getLoopbackAddress())) {
                assertThat(socket.isBound()).isTrue();
            }
        } finally {
            leases.forEach(FreePorts.PortLease::close);
        }
    }

    @Test
    void aPortInUseIsNeverLeased() throws Exception {
        var busy = new ArrayList<ServerSocket>();
        try {
            for (int port = 20000; port < 20050; port++) {
                try {
                    busy.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
                } catch (java.io.IOException taken) {
                    // already busy anyway
                }
            }
            for (int i = 0; i < 200; i++) {
                try (var lease = FreePorts.lease()) {
                    assertThat(lease.port()).isNotIn(busy.stream().map(ServerSocket::getLocalPort).toList());
                }
            }
        } finally {
            for (var socket : busy) {
                socket.close();
            }
        }
    }
}
