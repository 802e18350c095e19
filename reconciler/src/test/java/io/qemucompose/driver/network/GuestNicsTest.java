package io.qemucompose.driver.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.cloudinit.CloudInitConfig;
import io.qemucompose.driver.cloudinit.SeedRenderer;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuestNicsTest {

    @Test
    void userNicKeepsTheDefaultRouteAndBridgeNicsTakeNone() {
        String bridgeMac = MacAddresses.of("shop", "web", "backend");
        var config = GuestNics.withNics(CloudInitConfig.of("web", "debian", List.of()), "52:54:00:12:34:56",
                List.of(bridgeMac));
        String networkConfig = new SeedRenderer().render(config).networkConfig().orElseThrow();
        assertThat(networkConfig).contains("eth0:", "eth1:", "macaddress: " + bridgeMac, "use-routes: false",
                "use-dns: true");
        assertThat(networkConfig.substring(0, networkConfig.indexOf("eth1:"))).doesNotContain("dhcp4-overrides");
    }
}
