package io.qemucompose.driver.network;

import io.qemucompose.driver.cloudinit.CloudInitConfig;
import io.qemucompose.driver.cloudinit.CloudInitConfig.NicConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The guest side of a VM's NICs for cloud-init's network-config: the user-mode NIC first
 * ({@code eth0}, DHCP with its default route: the way out and the SSH forward), then one NIC per
 * bridge network in the order QEMU attaches them ({@code eth1}, ...), DHCP without routes.
 * Every NIC is matched by MAC, so the order the guest's kernel finds them in does not matter.
 */
public final class GuestNics {

    private GuestNics() {
    }

    public static List<NicConfig> of(String userNicMac, List<String> bridgeNicMacs) {
        var nics = new ArrayList<NicConfig>();
        nics.add(NicConfig.dhcp("eth0", userNicMac));
        for (int i = 0; i < bridgeNicMacs.size(); i++) {
            nics.add(NicConfig.bridge("eth" + (i + 1), bridgeNicMacs.get(i)));
        }
        return List.copyOf(nics);
    }

    /** {@code config} with these NICs added. */
    public static CloudInitConfig withNics(CloudInitConfig config, String userNicMac, List<String> bridgeNicMacs) {
        CloudInitConfig result = config;
        for (NicConfig nic : of(userNicMac, bridgeNicMacs)) {
            result = result.withNic(nic);
        }
        return result;
    }
}
