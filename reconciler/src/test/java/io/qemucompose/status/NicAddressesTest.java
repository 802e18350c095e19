package io.qemucompose.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.network.DhcpLeases;
import io.qemucompose.driver.network.MacAddresses;
import io.qemucompose.spec.ComposeLoader;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.ComposeSource;
import io.qemucompose.spec.Names;
import io.qemucompose.state.NetworkAllocations;
import io.qemucompose.state.ProjectLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A NIC's address is the lease of the guest card's MAC, on the network it belongs to. */
class NicAddressesTest {

    private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);

    @TempDir
    Path dir;

    private ComposeProject project;

    @BeforeEach
    void project() throws Exception {
        Files.writeString(dir.resolve("qemu-compose.yaml"), """
                name: shop
                networks:
                  front: {driver: bridge, subnet: 10.9.8.0/24}
                  back: {driver: bridge, subnet: auto}
                vms:
                  web:
                    image: https://example.org/debian-12.qcow2
                    networks: [front, back]
                  db:
                    image: https://example.org/debian-12.qcow2
                """);
        project = new ComposeLoader(Map.of()).load(ComposeSource.of(dir.resolve("qemu-compose.yaml")), Optional.empty());
    }

    private static NetworkAllocations.File frontCreated() {
        return NetworkAllocations.File.empty().with("front", new NetworkAllocations.Network("10.9.8.0/24", "10.9.8.0/24",
                "qc-shop-front", Instant.EPOCH, Map.of("web", "10.9.8.77")));
    }

    private NicAddresses addresses(NetworkAllocations.File allocations, Map<String, String> leaseFiles) {
        return new NicAddresses(project, allocations, n -> DhcpLeases.parse(leaseFiles.getOrDefault(n, "")), NOW);
    }

    @Test
    void theLeaseIsFoundByTheGuestCardsMacNotByAnyOther() {
        String guest = MacAddresses.of("shop", "web", "front");
        String leases = """
                1800000600 52:54:00:aa:bb:cc 10.9.8.99 tap-side *
                1800000600 %s 10.9.8.77 web 01:%s
                """.formatted(guest.toUpperCase(), guest);

        List<GuestNic> nics = addresses(frontCreated(), Map.of("front", leases)).of("web", List.of("front", "back"),
                Optional.of(2301), true);

        assertThat(nics).hasSize(3);
        assertThat(nics.get(0)).isEqualTo(new GuestNic.User(MacAddresses.userNic("shop", "web"), Optional.of(2301)));
        assertThat(((GuestNic.User) nics.get(0)).sshForward()).contains("127.0.0.1:2301 -> 22");
        assertThat(nics.get(1)).isEqualTo(new GuestNic.Bridge("front", guest, Names.tapName("shop", "web", 0),
                "qc-shop-front", Optional.of("10.9.8.0/24"), Optional.of("10.9.8.77"), Optional.of("10.9.8.77"),
                "qemu-compose-dnsmasq-shop-front"));
        // back was never created: the subnet it asks for, the bridge it would get, no address
        assertThat(nics.get(2)).isEqualTo(new GuestNic.Bridge("back", MacAddresses.of("shop", "web", "back"),
                Names.tapName("shop", "web", 1), Names.bridgeName("shop", "back"), Optional.of("auto"),
                Optional.empty(), Optional.empty(), "qemu-compose-dnsmasq-shop-back"));
    }

    @Test
    void aStoppedVmOrAnExpiredLeaseHasNoAddressButKeepsItsReservation() {
        String guest = MacAddresses.of("shop", "web", "front");
        NicAddresses current = addresses(frontCreated(), Map.of("front", "1800000600 " + guest + " 10.9.8.77 web *\n"));
        NicAddresses expired = addresses(frontCreated(), Map.of("front", "1799999999 " + guest + " 10.9.8.77 web *\n"));

        GuestNic.Bridge stopped = (GuestNic.Bridge) current.of("web", List.of("front"), Optional.empty(), false).get(1);
        GuestNic.Bridge old = (GuestNic.Bridge) expired.of("web", List.of("front"), Optional.empty(), true).get(1);
        GuestNic.Bridge infinite = (GuestNic.Bridge) addresses(frontCreated(),
                Map.of("front", "0 " + guest + " 10.9.8.77 web *\n")).of("web", List.of("front"), Optional.empty(), true).get(1);

        assertThat(stopped.leased()).isEmpty();
        assertThat(stopped.reserved()).contains("10.9.8.77");
        assertThat(old.leased()).isEmpty();
        assertThat(infinite.leased()).contains("10.9.8.77");
    }

    @Test
    void psShowsTheFirstBridgeAddressAndNothingForUserModeOnly() {
        String guest = MacAddresses.of("shop", "web", "front");
        NicAddresses a = addresses(frontCreated(), Map.of("front", "0 " + guest + " 10.9.8.77 web *\n"));
        VmStatus web = new VmStatus("web", VmState.READY, "", a.of("web", List.of("front", "back"), Optional.of(2301), true),
                1, 512, OptionalLong.empty(), "qemu-compose-shop-web", Optional.of(2301), true);
        VmStatus db = new VmStatus("db", VmState.READY, "", a.of("db", List.of(), Optional.of(2302), true),
                1, 512, OptionalLong.empty(), "qemu-compose-shop-db", Optional.of(2302), true);

        assertThat(web.ipAddress()).contains("10.9.8.77");
        assertThat(db.ipAddress()).isEmpty();
        assertThat(db.nics()).singleElement().isInstanceOf(GuestNic.User.class);
    }

    @Test
    void leaseFilesAreReadFromTheNetworksFolder() throws Exception {
        String guest = MacAddresses.of("shop", "web", "front");
        ProjectLayout layout = new ProjectLayout(dir);
        new NetworkAllocations(layout).update(f -> frontCreated());
        Files.createDirectories(layout.dhcpLeases("front").getParent());
        Files.writeString(layout.dhcpLeases("front"), "0 " + guest + " 10.9.8.77 web *\n");

        GuestNic nic = NicAddresses.read(project).of("web", List.of("front"), Optional.empty(), true).get(1);

        assertThat(nic.address()).contains("10.9.8.77");
    }
}
