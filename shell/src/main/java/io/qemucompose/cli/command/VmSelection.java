package io.qemucompose.cli.command;

import io.qemucompose.cli.UserFacingException;
import io.qemucompose.driver.systemd.UnitManager;
import io.qemucompose.driver.systemd.UnitStatus;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.Replica;
import io.qemucompose.state.ProjectLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The VMs a command names (all of the file when none), checked against the compose file; the name
 * of a scaled VM stands for all of its instances.
 */
final class VmSelection {

    private VmSelection() {}

    static List<String> of(ComposeProject project, List<String> named) {
        List<String> unknown = named.stream().filter(n -> !project.vms().containsKey(n)).toList();
        if (!unknown.isEmpty()) {
            throw new UserFacingException("no VM named " + String.join(", ", unknown) + " in project " + project.name()
                    + (project.vms().isEmpty() ? "" : " (VMs: " + String.join(", ", project.vms().keySet()) + ")"));
        }
        // a scaled VM stands for all of its instances (stop web: web, web-2, …)
        return named.isEmpty() ? List.copyOf(project.vms().keySet()) : Replica.expand(project.vms().values(), named);
    }

    static String unit(ComposeProject project, String vm) {
        return ProjectLayout.vmUnit(project.name(), vm);
    }

    /** The VMs whose unit runs; the others are reported to {@code notRunning}. */
    static List<String> running(ComposeProject project, List<String> vms, UnitManager systemd, List<String> notRunning) {
        List<String> out = new ArrayList<>();
        for (String vm : vms) {
            UnitStatus s = systemd.unit(unit(project, vm));
            if (s.isActive()) {
                out.add(vm);
            } else {
                notRunning.add(vm);
            }
        }
        return out;
    }
}
