package io.qemucompose.apply;

import io.qemucompose.driver.cloudinit.CloudInitConfig;
import io.qemucompose.driver.network.GuestNics;
import io.qemucompose.driver.network.MacAddresses;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.VmSpec;
import java.util.List;

/** A VM's NICs as QEMU attaches them and as the seed's network-config names them. */
final class VmNics {

    private VmNics() {}

    static List<CloudInitConfig.NicConfig> seedNics(ComposeProject project, VmSpec vm) {
        if (vm.networks().isEmpty()) {
            return List.of(); // one NIC: the image's own DHCP config brings it up
        }
        return GuestNics.of(VmLaunch.mac(project.name(), vm.name()),
                vm.networks().stream().map(n -> MacAddresses.of(project.name(), vm.name(), n)).toList());
    }
}
