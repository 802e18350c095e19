package io.qemucompose.apply;

import io.qemucompose.driver.Drivers;
import io.qemucompose.desired.DesiredState;
import io.qemucompose.desired.DesiredVm;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.StateStore;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * What every action of one apply shares.
 *
 * @param progress one line for people per notable step ("web: started unit …")
 * @param readyTimeout how long {@code AwaitReady} waits for a VM
 */
public record ApplyContext(ComposeProject project, DesiredState desired, ProjectLayout layout, StateStore state,
        Drivers drivers, Consumer<String> progress, Duration readyTimeout) {

    public DesiredVm vm(String name) {
        DesiredVm vm = desired.vms().get(name);
        if (vm == null) {
            throw new IllegalStateException("VM " + name + " is not in the compose file");
        }
        return vm;
    }

    /** The guest NICs the seed's network-config names (none: the image's own DHCP on its one NIC). */
    public java.util.List<io.qemucompose.driver.cloudinit.CloudInitConfig.NicConfig> nics(io.qemucompose.spec.VmSpec vm) {
        return VmNics.seedNics(project, vm);
    }

    public String unitName(String vm) {
        return ProjectLayout.vmUnit(project.name(), vm);
    }
}
