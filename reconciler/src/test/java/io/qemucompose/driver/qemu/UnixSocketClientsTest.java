package io.qemucompose.driver.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnixSocketClientsTest {

    // captured from /proc/net/unix with QEMU serving console.sock, one client accepted and one parked
    private static final String PROC = """
            Num       RefCount Protocol Flags    Type St Inode Path
            00000000ef8db425: 00000002 00000000 00010000 0001 01 10692 /tmp/qx/console.sock
            0000000004c9aca1: 00000003 00000000 00000000 0001 03 12110 /tmp/qx/console.sock
            000000000f3528c3: 00000003 00000000 00000000 0001 02     0 /tmp/qx/console.sock
            0000000011111111: 00000003 00000000 00000000 0001 03 12111 /tmp/qx/qmp.sock
            0000000022222222: 00000003 00000000 00000000 0001 03 12112
            0000000033333333: 00000002 00000000 00010000 0001 01 12113 /tmp/with space/console.sock
            0000000044444444: 00000003 00000000 00000000 0001 03 12114 /tmp/with space/console.sock
            """;

    @Test
    void countsAcceptedAndParkedClientsOfOneSocketOnly() {
        assertThat(UnixSocketClients.parse(PROC, "/tmp/qx/console.sock")).isEqualTo(new UnixSocketClients.Counts(1, 1));
        assertThat(UnixSocketClients.parse(PROC, "/tmp/qx/qmp.sock")).isEqualTo(new UnixSocketClients.Counts(1, 0));
        assertThat(UnixSocketClients.parse(PROC, "/tmp/other.sock")).isEqualTo(new UnixSocketClients.Counts(0, 0));
    }

    @Test
    void pathsWithSpacesAreMatchedWhole() {
        assertThat(UnixSocketClients.parse(PROC, "/tmp/with space/console.sock")).isEqualTo(new UnixSocketClients.Counts(1, 0));
    }
}
