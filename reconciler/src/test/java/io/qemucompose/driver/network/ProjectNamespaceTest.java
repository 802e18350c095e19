package io.qemucompose.driver.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qemucompose.driver.qemu.RelayedNetwork;
import io.qemucompose.driver.systemd.TransientUnit;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rootless mode's command lines; RootlessBridgeIT runs them for real. */
class ProjectNamespaceTest {

    @Test
    void theHolderUnitMakesTheNamespacesAndSleepsInThem() {
        TransientUnit unit = ProjectNamespace.holderUnit("shop", "/usr/bin/unshare");

        assertThat(unit.name()).isEqualTo("qemu-compose-netns-shop.service");
        assertThat(unit.execStart()).containsExactly("/usr/bin/unshare", "--user", "--map-root-user", "--net", "--",
                "sleep", "infinity");
    }

    @Test
    void programsEnterTheNamespaceThroughTheHoldersPid() {
        assertThat(new ProjectNamespace(4242).enter(List.of("ip", "-j", "link")))
                .containsExactly("nsenter", "--target", "4242", "--user", "--net", "--preserve-credentials", "--",
                        "ip", "-j", "link");
        assertThatThrownBy(() -> new ProjectNamespace(1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRelayJoinsTheTapToQemusDatagramSocket() {
        var nic = new RelayedNetwork(Path.of("/p/.qemu-compose/web/nic0.qemu.sock"),
                Path.of("/p/.qemu-compose/web/nic0.ns.sock"), "52:54:00:0a:0b:0c", "br0");

        assertThat(NamespaceRelay.command("/usr/bin/socat", "tap-shop-web-0", nic)).containsExactly("/usr/bin/socat",
                "-s", "TUN,tun-type=tap,tun-name=tap-shop-web-0,iff-no-pi,iff-up",
                "UNIX-SENDTO:/p/.qemu-compose/web/nic0.qemu.sock,bind=/p/.qemu-compose/web/nic0.ns.sock");
        assertThatThrownBy(() -> NamespaceRelay.command("/usr/bin/socat", "tap,evil", nic))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dnsmasqInTheNamespaceStaysItsRoot() {
        GuestAddresses plan = GuestAddresses.plan(Ipv4Cidr.parse("172.16.5.0/24"), "shop", "back", List.of("web"));

        assertThat(DnsmasqConfig.inProjectNamespace("shop", "back", plan, Path.of("/p/leases")).render())
                .contains("\nuser=root\ngroup=\n", "interface=qc-shop-back");
        assertThat(DnsmasqConfig.of("shop", "back", plan, Path.of("/p/leases")).render()).doesNotContain("group=");
    }
}
