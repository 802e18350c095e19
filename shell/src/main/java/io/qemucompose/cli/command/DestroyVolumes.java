package io.qemucompose.cli.command;

import io.qemucompose.driver.Drivers;
import io.qemucompose.apply.ProjectVolumes;
import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.spec.ComposeProject;

/**
 * {@code destroy --volumes} (docker compose's {@code down -v}): after the VMs are gone, remove the
 * named volumes the file declares. A volume a VM still runs with (one not selected) is kept and
 * named, never pulled from under it.
 */
final class DestroyVolumes {

    private DestroyVolumes() {}

    static int remove(CommandEnvironment env, ComposeProject project, Drivers drivers) {
        ProjectVolumes volumes = new ProjectVolumes(project, drivers);
        int code = ExitCode.OK;
        for (String name : project.volumes().keySet()) {
            try {
                if (volumes.remove(name)) {
                    env.out().println("✓ Volume " + name + " removed");
                }
            } catch (ProjectVolumes.VolumeInUseException e) {
                env.err().println("✗ " + e.getMessage());
                code = ExitCode.ERROR;
            }
        }
        return code;
    }
}
