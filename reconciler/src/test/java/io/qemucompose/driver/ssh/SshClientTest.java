package io.qemucompose.driver.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshClientTest {

    @TempDir
    Path tmp;

    SshKeyPair key;
    FakeSshd sshd;
    SshClient client;
    Path knownHosts;

    @BeforeEach
    void start() throws Exception {
        key = SshKeyPair.ensure(tmp.resolve("ssh/id_ed25519"));
        sshd = new FakeSshd(key.publicKeyLine(), tmp.resolve("hostkey-1"), 0);
        knownHosts = tmp.resolve("ssh/known_hosts");
        client = new SshClient(knownHosts);
    }

    @AfterEach
    void stop() throws Exception {
        sshd.close();
    }

    private SshClient.Target target() {
        return new SshClient.Target("127.0.0.1", sshd.port(), "debian", key.privateKey());
    }

    @Test
    void execReturnsExitCodeStdoutAndStderr() {
        SshClient.ExecResult r = client.exec(target(), "emit hello oops 7", Duration.ofSeconds(60));

        assertThat(r.exitCode()).isEqualTo(7);
        assertThat(r.stdout()).isEqualTo("hello\n");
        assertThat(r.stderr()).isEqualTo("oops\n");
        assertThat(client.exec(target(), "emit a b 0", Duration.ofSeconds(60)).exitCode()).isZero();
    }

    @Test
    void aKeyTheGuestDoesNotTrustIsAnAuthFailure() {
        SshKeyPair stranger = SshKeyPair.ensure(tmp.resolve("other/id_ed25519"));
        SshClient.Target wrong = new SshClient.Target("127.0.0.1", sshd.port(), "debian", stranger.privateKey());

        assertThatThrownBy(() -> client.exec(wrong, "emit a b 0", Duration.ofSeconds(60)))
                .isInstanceOf(SshAuthException.class).hasMessageContaining("refused by debian@127.0.0.1:" + sshd.port());
        assertThat(client.probeReady(wrong, Duration.ofSeconds(5))).isInstanceOf(Readiness.KeyRejected.class);
    }

    @Test
    void hostKeyIsRecordedOnFirstContactAndAChangedKeyIsRefused() throws Exception {
        client.exec(target(), "emit a b 0", Duration.ofSeconds(60));
        List<String> lines = Files.readAllLines(knownHosts);
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst()).startsWith("[127.0.0.1]:" + sshd.port() + " ecdsa-sha2-nistp256 ");

        client.exec(target(), "emit a b 0", Duration.ofSeconds(60));
        assertThat(Files.readAllLines(knownHosts)).hasSize(1);

        int port = sshd.port();
        sshd.close();
        sshd = new FakeSshd(key.publicKeyLine(), tmp.resolve("hostkey-2"), port); // another machine, same port
        assertThatThrownBy(() -> client.exec(target(), "emit a b 0", Duration.ofSeconds(60)))
                .isInstanceOf(SshHostKeyException.class).hasMessageContaining("changed");

        client.forgetHost("127.0.0.1", port);
        assertThat(client.exec(target(), "emit a b 3", Duration.ofSeconds(60)).exitCode()).isEqualTo(3);
    }

    @Test
    void probeIsReadyOnlyWhenCloudInitIsDone() {
        sshd.cloudInitStatus.set("running");
        assertThat(client.probeReady(target(), Duration.ofSeconds(5))).isEqualTo(new Readiness.Provisioning("running"));

        sshd.cloudInitStatus.set("error");
        assertThat(client.probeReady(target(), Duration.ofSeconds(5))).isEqualTo(new Readiness.ProvisioningFailed("error"));

        sshd.cloudInitStatus.set("done");
        assertThat(client.probeReady(target(), Duration.ofSeconds(5)).ready()).isTrue();
    }

    @Test
    void aPortThatAcceptsTcpButSpeaksNoSshIsNotReady() throws Exception {
        // what QEMU's slirp does before the guest's sshd exists: accept, then say nothing
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (Exception done) {
                    // closed by the test
                }
            });
            long start = System.nanoTime();
            Readiness r = client.probeReady(new SshClient.Target("127.0.0.1", silent.getLocalPort(), "debian",
                    key.privateKey()), Duration.ofMillis(800));
            assertThat(r).isInstanceOf(Readiness.Unreachable.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            acceptor.interrupt();
        }
    }

    @Test
    void aClosedPortIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThat(client.probeReady(new SshClient.Target("127.0.0.1", port, "debian", key.privateKey()),
                Duration.ofSeconds(2))).isInstanceOf(Readiness.Unreachable.class);
    }

    @Test
    void cloudInitStatusIsParsedFromItsOutput() {
        assertThat(SshClient.cloudInitStatus("\nstatus: done\n")).isEqualTo("done");
        assertThat(SshClient.cloudInitStatus("status: done\nextended_status: degraded done\n")).isEqualTo("done");
        assertThat(SshClient.cloudInitStatus("bash: cloud-init: not found")).isEqualTo("unknown");
    }
}
