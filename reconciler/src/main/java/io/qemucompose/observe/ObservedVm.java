package io.qemucompose.observe;

import java.util.Map;
import java.util.Optional;

/**
 * One VM instance as the world shows it.
 *
 * @param instanceExists the overlay disk exists
 * @param seedExists the cloud-init seed exists
 * @param applied the fields recorded when the instance was last created or started (empty when
 *     nothing was recorded, e.g. a crash between creating the disk and recording it)
 * @param sshPort the leased host port for SSH, if any
 */
public record ObservedVm(String name, boolean instanceExists, boolean seedExists, UnitState unit,
        Map<String, String> applied, Optional<Integer> sshPort) {

    public ObservedVm {
        applied = Map.copyOf(applied);
    }

    public static ObservedVm absent(String name) {
        return new ObservedVm(name, false, false, UnitState.INACTIVE, Map.of(), Optional.empty());
    }

    public boolean exists() {
        return instanceExists || unit != UnitState.INACTIVE;
    }
}
