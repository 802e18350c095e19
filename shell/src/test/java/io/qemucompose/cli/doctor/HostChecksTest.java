package io.qemucompose.cli.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.systemd.Journald;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostChecksTest {

    @TempDir
    Path dir;

    private HostChecks withStatus(String capEff) throws IOException {
        Path status = dir.resolve("status");
        Files.writeString(status, "Name:\tjava\nCapInh:\t0000000000000000\nCapEff:\t" + capEff + "\n");
        Map<String, String> env = Map.of("PATH", dir.toString());
        return new HostChecks(env, new ExecutableLookup(env), status, () -> Finding.ok("KVM", "test"));
    }

    @Test
    void bridgeNetworksAreAvailableWhenBitTwelveIsSet() throws IOException {
        Finding finding = withStatus("0000000000001000").bridgeNetworks();
        assertThat(finding.status()).isEqualTo(Finding.Status.OK);
        assertThat(finding.name() + ": " + finding.detail())
                .isEqualTo("bridge networks: host mode (CAP_NET_ADMIN): bridges in the host's network namespace");
        assertThat(withStatus("000001ffffffffff").bridgeNetworks().status()).isEqualTo(Finding.Status.OK);
    }

    @Test
    void withoutNetAdminNorWhatRootlessModeNeedsBridgeNetworksAreAWarningThatSaysWhatToDo() throws IOException {
        Finding finding = withStatus("0000000000000fff").bridgeNetworks();
        assertThat(finding.status()).isEqualTo(Finding.Status.WARNING);
        assertThat(finding.blocksUse()).isFalse();
        assertThat(finding.detail()).startsWith("not available: bridge networks need CAP_NET_ADMIN (root) or, for a"
                + " normal user, the rootless mode, which needs socat (Debian package socat), nsenter");
    }

    @Test
    void withoutNetAdminButWithWhatRootlessModeNeedsDoctorNamesTheRootlessMode() throws IOException {
        Path status = dir.resolve("status");
        Files.writeString(status, "CapEff:\t0000000000000fff\n");
        Path tun = dir.resolve("tun");
        Files.writeString(tun, "");
        for (String tool : new String[] {"socat", "nsenter", "unshare"}) {
            Files.writeString(dir.resolve(tool), "#!/bin/sh\n");
            Files.setPosixFilePermissions(dir.resolve(tool), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Map<String, String> env = Map.of("PATH", dir.toString());
        Finding finding = new HostChecks(env, new ExecutableLookup(env), status, () -> Finding.ok("KVM", "test"),
                () -> true, tun).bridgeNetworks();
        assertThat(finding.status()).isEqualTo(Finding.Status.OK);
        assertThat(finding.detail()).isEqualTo("rootless mode (a user + network namespace per project): no CAP_NET_ADMIN");

        Finding noUserns = new HostChecks(env, new ExecutableLookup(env), status, () -> Finding.ok("KVM", "test"),
                () -> false, tun).bridgeNetworks();
        assertThat(noUserns.status()).isEqualTo(Finding.Status.WARNING);
        assertThat(noUserns.detail()).contains("unprivileged user namespaces");
    }

    @Test
    void rootlessNetworksNameWhatTheHostLacks() throws IOException {
        Path tun = dir.resolve("tun");
        Files.writeString(tun, "");
        Files.setPosixFilePermissions(tun, PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.writeString(dir.resolve("socat"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(dir.resolve("socat"),
                PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = Map.of("PATH", dir.toString());

        Finding ok = new RootlessNetworkCheck(() -> true, tun, new ExecutableLookup(env)).check();
        Finding lacking = new RootlessNetworkCheck(() -> false, dir.resolve("no-tun"),
                new ExecutableLookup(Map.of("PATH", dir.resolve("empty").toString()))).check();

        assertThat(ok.status()).isEqualTo(Finding.Status.OK);
        assertThat(lacking.status()).isEqualTo(Finding.Status.WARNING);
        assertThat(lacking.blocksUse()).isFalse();
        assertThat(lacking.detail()).contains("unprivileged user namespaces", "no-tun read-write for you",
                "socat (Debian package socat)", "`up` uses it without CAP_NET_ADMIN");
    }

    @Test
    void theUserNamespaceProbeMakesARealOne() {
        // this host allows them (RootlessBridgeIT relies on it); the probe must say so
        assertThat(RootlessNetworkCheck.canMakeUserNamespaces()).isTrue();
    }

    @Test
    void dnsmasqIsRequiredOnlyWhereBridgeNetworksCanBeMade() throws IOException {
        Path status = dir.resolve("status");
        Files.writeString(status, "CapEff:\t0000000000001000\n");
        Map<String, String> env = Map.of("PATH", dir.toString(), "QEMU_COMPOSE_DNSMASQ", dir.resolve("no-dnsmasq").toString());
        HostChecks checks = new HostChecks(env, new ExecutableLookup(env), status, () -> Finding.ok("KVM", "test"));

        Finding required = checks.dnsmasq(true);
        Finding optional = checks.dnsmasq(false);

        assertThat(required.blocksUse()).isTrue();
        assertThat(required.debianPackage()).contains("dnsmasq-base");
        assertThat(optional.blocksUse()).isFalse();
        assertThat(optional.status()).isEqualTo(Finding.Status.WARNING);
    }

    @Test
    void programsAreFoundOnThePath() throws IOException {
        Path tool = dir.resolve("xorriso");
        Files.writeString(tool, "#!/bin/sh\n");
        tool.toFile().setExecutable(true);
        Finding iso = withStatus("0").isoWriter();
        assertThat(iso.status()).isEqualTo(Finding.Status.OK);
        assertThat(iso.detail()).contains(tool.toString());
    }

    @Test
    void aMissingRequiredProgramBlocksUseAndNamesItsPackage() throws IOException {
        Finding finding = withStatus("0").program("no-such-qemu-img", "qemu-img", "qemu-utils", true);
        assertThat(finding.blocksUse()).isTrue();
        assertThat(finding.debianPackage()).contains("qemu-utils");
    }

    @Test
    void journaldNamesTheJournalctlCommandOrSaysItIsMissingAndWhatToUseInstead() throws Exception {
        HostChecks checks = withStatus("0");
        Path socket = dir.resolve("stdout");

        Finding missing = checks.journal(new Journald(socket), false);
        assertThat(missing.status()).isEqualTo(Finding.Status.WARNING);
        assertThat(missing.blocksUse()).isFalse();
        assertThat(missing.detail()).contains("not running (no " + socket + ")",
                "journalctl --user -u qemu-compose-<project>-<vm> -f` needs journald", "qemu-compose logs");

        try (var journald = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            journald.bind(UnixDomainSocketAddress.of(socket));
            Finding user = checks.journal(new Journald(socket), false);
            assertThat(user.status()).isEqualTo(Finding.Status.OK);
            assertThat(user.detail()).endsWith("journalctl --user -u qemu-compose-<project>-<vm> -f");
            // journald keeps root's entries in the system journal, which journalctl --user does not open
            assertThat(checks.journal(new Journald(socket), true).detail())
                    .endsWith("journalctl --user-unit qemu-compose-<project>-<vm> -f");
        }
    }
}
