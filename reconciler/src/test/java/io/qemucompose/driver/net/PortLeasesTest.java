package io.qemucompose.driver.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortLeasesTest {

    private static final int FIRST = 42200;
    private static final int LAST = 42999;

    @TempDir
    Path tmp;

    private PortLeases leases(Set<Integer> busy) {
        return new PortLeases(tmp.resolve("state"), FIRST, LAST, port -> !busy.contains(port));
    }

    private Path project(String name) throws IOException {
        return Files.createDirectories(tmp.resolve(name));
    }

    @Test
    void aFixedPortIsNeverLeasedToAnotherVm() throws IOException {
        Path web = project("web-project");
        Path other = project("other-project");
        assertThat(leases(Set.of()).reserve(web, "web", FIRST).port()).isEqualTo(FIRST);

        assertThat(leases(Set.of()).acquire(other, "db").port()).isEqualTo(FIRST + 1);
        assertThat(leases(Set.of()).reserve(web, "web", FIRST).port()).isEqualTo(FIRST);
    }

    @Test
    void aFixedPortHeldByAnotherProjectIsRefused() throws IOException {
        Path web = project("web-project");
        Path other = project("other-project");
        leases(Set.of()).acquire(other, "db");

        assertThatThrownBy(() -> leases(Set.of()).reserve(web, "web", FIRST))
                .isInstanceOf(PortLeaseException.class)
                .hasMessageContaining("ssh.port " + FIRST + " of VM web is already leased to VM db of the project in "
                        + other);
    }

    @Test
    void changingAFixedPortMovesTheVmsEntry() throws IOException {
        Path web = project("web-project");
        leases(Set.of()).reserve(web, "web", 2250);
        leases(Set.of()).reserve(web, "web", 2251);

        assertThat(leases(Set.of()).all()).extracting(PortLease::port).containsExactly(2251);
    }

    @Test
    void sameVmGetsTheSamePortAcrossRestartsAndAcrossInstances() throws IOException {
        Path web = project("web-project");
        int first = leases(Set.of()).acquire(web, "web").port();
        int again = leases(Set.of()).acquire(web, "web").port();
        assertThat(first).isEqualTo(FIRST);
        assertThat(again).isEqualTo(first);
        assertThat(leases(Set.of()).find(web, "web")).hasValueSatisfying(l -> assertThat(l.port()).isEqualTo(first));
    }

    @Test
    void differentVmsAndProjectsGetDifferentPortsSkippingBusyOnes() throws IOException {
        var leases = leases(Set.of(FIRST + 1));
        int a = leases.acquire(project("a"), "web").port();
        int b = leases.acquire(project("a"), "db").port();
        int c = leases.acquire(project("b"), "web").port();
        assertThat(List.of(a, b, c)).containsExactly(FIRST, FIRST + 2, FIRST + 3);
    }

    @Test
    void aRecordedPortTakenByAnotherProgramMovesToAFreeOne() throws IOException {
        Path p = project("p");
        var busy = new HashSet<Integer>();
        int before = leases(busy).acquire(p, "web").port();
        busy.add(before);
        int after = leases(busy).acquire(p, "web").port();
        assertThat(after).isNotEqualTo(before);
        assertThat(leases(busy).all()).hasSize(1);
    }

    @Test
    void releaseFreesThePortForTheNextVm() throws IOException {
        var leases = leases(Set.of());
        Path p = project("p");
        int port = leases.acquire(p, "web").port();
        assertThat(leases.release(p, "web")).isTrue();
        assertThat(leases.release(p, "web")).isFalse();
        assertThat(leases.find(p, "web")).isEmpty();
        assertThat(leases.acquire(project("q"), "other").port()).isEqualTo(port);
    }

    @Test
    void aProjectWhoseFolderIsBrieflyMissingKeepsItsPort() throws IOException {
        var leases = leases(Set.of());
        Path away = project("away");
        int port = leases.acquire(away, "web").port();
        Files.delete(away); // an unmounted disk, a checkout being moved
        leases.acquire(project("other"), "web");
        Files.createDirectories(away);

        assertThat(leases.acquire(away, "web").port()).isEqualTo(port);
        assertThat(leases.all()).extracting(PortLease::projectDir).contains(away, tmp.resolve("other"));
    }

    @Test
    void leasesOfDeletedProjectsAreReclaimedOnlyWhenTheRangeIsFull() throws IOException {
        var tiny = new PortLeases(tmp.resolve("state"), FIRST, FIRST, p -> true);
        Path gone = project("gone");
        tiny.acquire(gone, "web");
        Files.delete(gone);

        assertThat(tiny.acquire(project("new"), "web").port()).isEqualTo(FIRST);
        assertThat(tiny.all()).extracting(PortLease::projectDir).containsExactly(tmp.resolve("new"));
    }

    @Test
    void aCorruptRegistryIsReportedAndLeftUntouched() throws IOException {
        Path registry = Files.createDirectories(tmp.resolve("state")).resolve("ports.json");
        Files.writeString(registry, "{not json");
        assertThatThrownBy(() -> leases(Set.of()).acquire(project("p"), "web"))
                .isInstanceOf(PortLeaseException.class).hasMessageContaining("unreadable").hasMessageContaining("ports.json");
        assertThat(Files.readString(registry)).isEqualTo("{not json");
    }

    @Test
    void exhaustedRangeIsAClearError() throws IOException {
        var tiny = new PortLeases(tmp.resolve("state"), FIRST, FIRST, p -> true);
        tiny.acquire(project("a"), "web");
        assertThatThrownBy(() -> tiny.acquire(project("b"), "web")).hasMessageContaining("no free port in 42200-42200");
    }

    @Test
    void realBindCheckSeesAListeningSocket() throws IOException {
        try (var server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            assertThat(PortLeases.bindableOnLoopback(server.getLocalPort())).isFalse();
        }
    }

    @Test
    void registryFollowsXdgStateHome() {
        Path home = Path.of("/home/u");
        assertThat(PortLeases.defaultRegistryDir(Map.of("XDG_STATE_HOME", "/x/state"), home)).isEqualTo(Path.of("/x/state/qemu-compose"));
        assertThat(PortLeases.defaultRegistryDir(Map.of("XDG_STATE_HOME", "relative"), home)).isEqualTo(Path.of("/home/u/.local/state/qemu-compose"));
        assertThat(PortLeases.defaultRegistryDir(Map.of(), home)).isEqualTo(Path.of("/home/u/.local/state/qemu-compose"));
    }

    @Test
    void twoJvmsRacingNeverLeaseTheSamePort() throws Exception {
        int perProcess = 25;
        Path registry = tmp.resolve("state");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process other = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                PortLeaseRacer.class.getName(), registry.toString(), tmp.toString(), "other", Integer.toString(perProcess),
                Integer.toString(FIRST), Integer.toString(LAST))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            var fromOther = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
            assertThat(fromOther.readLine()).isEqualTo("ready");
            var leases = new PortLeases(registry, FIRST, LAST, PortLeases::bindableOnLoopback);
            var toOther = new OutputStreamWriter(other.getOutputStream(), StandardCharsets.UTF_8);
            toOther.write("go\n");
            toOther.flush();
            var ports = new ArrayList<Integer>();
            for (int i = 0; i < perProcess; i++) {
                ports.add(leases.acquire(project("mine-" + i), "vm").port());
            }
            String line;
            while ((line = fromOther.readLine()) != null) {
                ports.add(Integer.parseInt(line.trim()));
            }
            assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(other.exitValue()).isZero();
            assertThat(ports).hasSize(2 * perProcess).doesNotHaveDuplicates();
            assertThat(leases.all()).hasSize(2 * perProcess);
        } finally {
            other.destroyForcibly();
        }
    }
}
