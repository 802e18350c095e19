package io.qemucompose.driver.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.qemu.RelayedNetwork;
import io.qemucompose.driver.systemd.TransientUnit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkModeTest {

    @TempDir
    Path dir;

    private Path tun() throws IOException {
        Path tun = dir.resolve("tun");
        Files.writeString(tun, "");
        Files.setPosixFilePermissions(tun, PosixFilePermissions.fromString("rw-rw-rw-"));
        return tun;
    }

    private static final Set<String> ALL = Set.of("socat", "nsenter", "unshare");

    @Test
    void theCapabilityMeansHostModeAndTheUserNamespaceIsNotEvenTried() throws IOException {
        AtomicInteger tries = new AtomicInteger();
        NetworkMode mode = NetworkMode.detect(Map.of(), true, () -> tries.incrementAndGet() > 0, tun(), ALL::contains);
        assertThat(mode.kind()).isEqualTo(NetworkMode.Kind.HOST);
        assertThat(tries).hasValue(0);
    }

    @Test
    void withoutTheCapabilityTheRootlessModeWhenTheHostAllowsIt() throws IOException {
        NetworkMode mode = NetworkMode.detect(Map.of(), false, () -> true, tun(), ALL::contains);
        assertThat(mode.kind()).isEqualTo(NetworkMode.Kind.ROOTLESS);
        assertThat(mode.reason()).contains("no CAP_NET_ADMIN", "user + network namespace of the project's own");
        assertThat(NetworkMode.detect(Map.of(NetworkMode.ENV, "rootless"), true, () -> true, tun(), ALL::contains).kind())
                .as("asked for, even with the capability").isEqualTo(NetworkMode.Kind.ROOTLESS);
    }

    @Test
    void whatTheRootlessModeLacksIsNamedAllAtOnce() {
        NetworkMode mode = NetworkMode.detect(Map.of(), false, () -> true, dir.resolve("no-tun"), p -> p.equals("unshare"));
        assertThat(mode.kind()).isEqualTo(NetworkMode.Kind.UNAVAILABLE);
        assertThat(mode.reason()).contains("CAP_NET_ADMIN (root)", "socat (Debian package socat)",
                "nsenter (Debian package util-linux)", "no-tun read-write for this user").doesNotContain("unshare (");
    }

    @Test
    void userNamespacesAreTriedLastAndNamedWhenRefused() throws IOException {
        NetworkMode mode = NetworkMode.detect(Map.of(), false, () -> false, tun(), ALL::contains);
        assertThat(mode.kind()).isEqualTo(NetworkMode.Kind.UNAVAILABLE);
        assertThat(mode.reason()).contains("unprivileged user namespaces");
    }

    @Test
    void hostModeAskedForWithoutTheCapabilityIsRefusedAndAnUnknownModeToo() throws IOException {
        NetworkMode host = NetworkMode.detect(Map.of(NetworkMode.ENV, "host"), false, () -> true, tun(), ALL::contains);
        assertThat(host.kind()).isEqualTo(NetworkMode.Kind.UNAVAILABLE);
        assertThat(host.reason()).contains("bridge networks need CAP_NET_ADMIN", "run qemu-compose as root");
        NetworkMode typo = NetworkMode.detect(Map.of(NetworkMode.ENV, "rootles"), true, () -> true, tun(), ALL::contains);
        assertThat(typo.kind()).isEqualTo(NetworkMode.Kind.UNAVAILABLE);
        assertThat(typo.reason()).contains("rootles", "host, rootless or auto");
    }

    @Test
    void theUserNamespaceProbeMakesARealOne() {
        // this host allows them (RootlessBridgeIT relies on it)
        assertThat(NetworkMode.canMakeUserNamespaces(System.getenv())).isTrue();
    }

    @Test
    void dnsmasqInTheNamespaceEntersItAndEndsWithItsHolder() {
        var ns = new ProjectNamespace(4242, "/usr/bin/nsenter");
        TransientUnit unit = DnsmasqUnit.inNamespace("p", "back", "/usr/sbin/dnsmasq", Path.of("/x/dnsmasq.conf"),
                Path.of("/x/dnsmasq.log"), ns);
        assertThat(unit.execStart()).containsExactly("/usr/bin/nsenter", "--target", "4242", "--user", "--net",
                "--preserve-credentials", "--", "/usr/sbin/dnsmasq", "--conf-file=/x/dnsmasq.conf");
        assertThat(unit.extraProperties()).extracting(TransientUnit.RawProperty::name).contains("BindsTo", "After", "Restart");
        assertThat(unit.extraProperties()).filteredOn(p -> p.name().equals("BindsTo"))
                .extracting(TransientUnit.RawProperty::value).containsExactly(List.of("qemu-compose-netns-p.service"));
    }

    @Test
    void aRelayUnitRemovesItsStaleSocketAndStopsWithTheVmOrTheNamespace() {
        var ns = new ProjectNamespace(4242, "/usr/bin/nsenter");
        var nic = new RelayedNetwork(Path.of("/v/nic0.qemu.sock"), Path.of("/v/nic0.ns.sock"), "52:54:00:12:34:56", "br0");
        TransientUnit unit = NamespaceRelay.unit("qemu-compose-nic-p-web-0.service", "d", "qemu-compose-p-web.service", "p",
                ns, "/usr/bin/socat", "/usr/bin/rm", "tap-p-web-0", nic, Path.of("/v/nic0.relay.log"));
        assertThat(unit.execStart()).startsWith("/usr/bin/nsenter", "--target", "4242").endsWith("/usr/bin/socat", "-s",
                "TUN,tun-type=tap,tun-name=tap-p-web-0,iff-no-pi,iff-up",
                "UNIX-SENDTO:/v/nic0.qemu.sock,bind=/v/nic0.ns.sock");
        assertThat(unit.execStartPre().getFirst().argv()).containsExactly("/usr/bin/rm", "-f", "--", "/v/nic0.ns.sock");
        assertThat(unit.extraProperties()).filteredOn(p -> p.name().equals("BindsTo"))
                .extracting(TransientUnit.RawProperty::value)
                .containsExactly(List.of("qemu-compose-p-web.service", "qemu-compose-netns-p.service"));
    }

    @Test
    void aNamespaceIsOnlyTakenOnceItsHolderHasLeftOurs() {
        assertThat(ProjectNamespace.madeBy(ProcessHandle.current().pid())).as("our own namespaces").isFalse();
        assertThat(ProjectNamespace.madeBy(Integer.MAX_VALUE)).as("no such process").isFalse();
    }
}
