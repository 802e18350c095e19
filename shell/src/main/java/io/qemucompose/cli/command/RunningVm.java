package io.qemucompose.cli.command;

import io.qemucompose.cli.UserFacingException;
import io.qemucompose.driver.Drivers;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.state.ProjectLayout;
import java.nio.file.Path;
import java.util.List;

/** A VM of the file whose unit runs, and the sockets its QEMU serves (for qmp, exec, cp). */
record RunningVm(String name, ProjectLayout layout) {

    static RunningVm require(ComposeProject project, String vm, Drivers drivers) {
        VmSelection.of(project, List.of(vm));
        if (!drivers.systemd().unit(VmSelection.unit(project, vm)).isActive()) {
            throw new UserFacingException(vm + " is not running (start it with: qemu-compose up " + vm + ")");
        }
        return new RunningVm(vm, new ProjectLayout(project.projectDir()));
    }

    Path qmpSocket() {
        return layout.reachableSocket(layout.qmpSocket(name));
    }

    Path guestAgentSocket() {
        return layout.reachableSocket(layout.guestAgentSocket(name));
    }
}
