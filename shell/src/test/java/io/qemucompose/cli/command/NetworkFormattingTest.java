package io.qemucompose.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.image.ImageCache;
import io.qemucompose.observe.UnitState;
import io.qemucompose.spec.ComposeLoader;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.ComposeSource;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.ProjectState;
import io.qemucompose.status.GuestNic;
import io.qemucompose.status.NetworkStatus;
import io.qemucompose.status.VmState;
import io.qemucompose.status.VmStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How NICs and networks are printed: ps JSON, inspect, network ls table and JSON. */
class NetworkFormattingTest {

    @TempDir
    Path dir;

    private static final GuestNic.User USER = new GuestNic.User("52:54:00:01:02:03", Optional.of(2301));
    private static final GuestNic.Bridge FRONT = new GuestNic.Bridge("front", "52:54:00:0a:0b:0c", "tap-shop-web-0",
            "qc-shop-front", Optional.of("10.9.8.0/24"), Optional.of("10.9.8.7"), Optional.of("10.9.8.7"),
            "qemu-compose-dnsmasq-shop-front");
    private static final GuestNic.Bridge BACK = new GuestNic.Bridge("back", "52:54:00:0d:0e:0f", "tap-shop-web-1",
            "qc-shop-back", Optional.of("auto"), Optional.empty(), Optional.empty(), "qemu-compose-dnsmasq-shop-back");

    private static VmStatus web(List<GuestNic> nics) {
        return new VmStatus("web", VmState.READY, "", nics, 2, 1024, OptionalLong.empty(), "qemu-compose-shop-web",
                Optional.of(2301), true);
    }

    @Test
    void psJsonListsEveryNicInOneShape() {
        assertThat(JsonOutput.write(PsCommand.json(web(List.of(USER, FRONT, BACK))).get("networks"))).isEqualTo("""
                [ {
                  "name" : "user",
                  "driver" : "user",
                  "mac" : "52:54:00:01:02:03",
                  "ip_address" : null,
                  "ssh_forward" : "127.0.0.1:2301 -> 22"
                }, {
                  "name" : "front",
                  "driver" : "bridge",
                  "mac" : "52:54:00:0a:0b:0c",
                  "ip_address" : "10.9.8.7",
                  "ssh_forward" : null
                }, {
                  "name" : "back",
                  "driver" : "bridge",
                  "mac" : "52:54:00:0d:0e:0f",
                  "ip_address" : null,
                  "ssh_forward" : null
                } ]
                """);
        Map<String, Object> row = PsCommand.json(web(List.of(USER, FRONT, BACK)));
        assertThat(row.get("ip_address")).isEqualTo("10.9.8.7");
        assertThat(row.keySet()).containsExactly("name", "status", "detail", "ip_address", "cpu", "memory_mb",
                "disk_bytes", "systemd_unit", "ssh_port", "orphan", "networks");
    }

    @Test
    void psTableShowsTheFirstNetworksAddress() {
        assertThat(PsCommand.table(List.of(web(List.of(USER, FRONT, BACK)))).lines().skip(2).findFirst().orElseThrow())
                .startsWith("web                  ready           10.9.8.7        2 ");
    }

    @Test
    void inspectShowsTheManagementNicThenEachBridgeNic() throws Exception {
        Files.writeString(dir.resolve("qemu-compose.yaml"), """
                name: shop
                networks:
                  front: {driver: bridge, subnet: 10.9.8.0/24}
                  back: {driver: bridge, subnet: auto}
                vms:
                  web:
                    image: https://example.org/debian-12.qcow2
                    networks: [front, back]
                """);
        ComposeProject project = new ComposeLoader(Map.of()).load(ComposeSource.of(dir.resolve("qemu-compose.yaml")),
                Optional.empty());
        Map<String, Object> report = InspectReport.build(project, project.vms().get("web"), web(List.of(USER, FRONT, BACK)),
                ProjectState.empty(), new ProjectLayout(dir), new ImageCache(dir.resolve("cache")));

        assertThat(JsonOutput.write(report.get("networks"))).isEqualTo("""
                [ {
                  "name" : "user",
                  "driver" : "user",
                  "ssh_forward" : "127.0.0.1:2301 -> 22"
                }, {
                  "name" : "front",
                  "driver" : "bridge",
                  "bridge" : "qc-shop-front",
                  "tap" : "tap-shop-web-0",
                  "subnet" : "10.9.8.0/24",
                  "dhcp_unit" : "qemu-compose-dnsmasq-shop-front",
                  "mac" : "52:54:00:0a:0b:0c",
                  "reserved_ip" : "10.9.8.7",
                  "ip_address" : "10.9.8.7"
                }, {
                  "name" : "back",
                  "driver" : "bridge",
                  "bridge" : "qc-shop-back",
                  "tap" : "tap-shop-web-1",
                  "subnet" : "auto",
                  "dhcp_unit" : "qemu-compose-dnsmasq-shop-back",
                  "mac" : "52:54:00:0d:0e:0f",
                  "reserved_ip" : null,
                  "ip_address" : null
                } ]
                """);
        assertThat(report.get("ip_address")).isEqualTo("10.9.8.7");
        String text = InspectText.render(report);
        assertThat(text).contains("""
                Networks:
                  - user:
                      Driver: user
                      SSH Forward: 127.0.0.1:2301 -> 22
                  - front:
                      Driver: bridge
                      Bridge: qc-shop-front
                      TAP Device: tap-shop-web-0
                      MAC Address: 52:54:00:0a:0b:0c
                      Subnet: 10.9.8.0/24
                      Reserved IP: 10.9.8.7
                      Leased IP: 10.9.8.7
                      DHCP Unit: qemu-compose-dnsmasq-shop-front
                  - back:
                """).contains("      Leased IP: -\n").contains("  IP Address: 10.9.8.7\n");
    }

    @Test
    void inspectOfAUserModeVmKeepsItsOneEntry() throws Exception {
        Files.writeString(dir.resolve("qemu-compose.yaml"), """
                name: shop
                vms:
                  web:
                    image: https://example.org/debian-12.qcow2
                """);
        ComposeProject project = new ComposeLoader(Map.of()).load(ComposeSource.of(dir.resolve("qemu-compose.yaml")),
                Optional.empty());
        Map<String, Object> report = InspectReport.build(project, project.vms().get("web"), web(List.of(USER)),
                ProjectState.empty(), new ProjectLayout(dir), new ImageCache(dir.resolve("cache")));

        assertThat(JsonOutput.write(report.get("networks"))).isEqualTo("""
                [ {
                  "name" : "user",
                  "driver" : "user",
                  "ssh_forward" : "127.0.0.1:2301 -> 22"
                } ]
                """);
        assertThat(report.get("ip_address")).isNull();
    }

    private static NetworkStatus front() {
        return new NetworkStatus("front", true, "bridge", Optional.of("10.9.8.0/24"), Optional.of("10.9.8.0/24"),
                "qc-shop-front", true, Optional.of(UnitState.ACTIVE), "qemu-compose-dnsmasq-shop-front",
                List.of("web", "db"), List.of("web", "old"));
    }

    @Test
    void networkLsTableMarksRunningVmsDownBridgesAndLeftovers() {
        NetworkStatus back = new NetworkStatus("back", true, "bridge", Optional.of("auto"), Optional.of("172.16.0.0/24"),
                "qc-shop-back", false, Optional.of(UnitState.FAILED), "qemu-compose-dnsmasq-shop-back", List.of(), List.of());
        NetworkStatus gone = new NetworkStatus("gone", false, "bridge", Optional.of("auto"), Optional.empty(),
                "qc-shop-gone", false, Optional.empty(), "qemu-compose-dnsmasq-shop-gone", List.of(), List.of());

        assertThat(NetworkLsCommand.table(List.of(front(), back, gone))).isEqualTo("""
                NAME                 DRIVER   SUBNET               BRIDGE                DHCP      VMS
                front                bridge   10.9.8.0/24          qc-shop-front         active    web (running), db, old (running)
                back                 bridge   172.16.0.0/24        qc-shop-back (down)   failed    -
                gone (not in file)   bridge   auto (not created)   qc-shop-gone          unknown   -
                """);
    }

    @Test
    void networkLsJsonHasEveryFieldInOrder() {
        assertThat(JsonOutput.write(NetworkLsCommand.json(front()))).isEqualTo("""
                {
                  "name" : "front",
                  "driver" : "bridge",
                  "in_compose_file" : true,
                  "subnet" : "10.9.8.0/24",
                  "requested_subnet" : "10.9.8.0/24",
                  "bridge" : "qc-shop-front",
                  "bridge_up" : true,
                  "dhcp_unit" : "qemu-compose-dnsmasq-shop-front",
                  "dhcp" : "active",
                  "vms" : [ "web", "db" ],
                  "running_vms" : [ "web", "old" ]
                }
                """);
    }
}
