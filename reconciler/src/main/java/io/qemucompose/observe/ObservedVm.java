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
 * @param savedState a suspended VM's RAM and device state is on disk
 */
public record ObservedVm(String name, boolean instanceExists, boolean seedExists, UnitState unit,
        Map<String, String> applied, Optional<Integer> sshPort, boolean savedState) {

    public ObservedVm {
        applied = Map.copyOf(applied);
    }

    public ObservedVm(String name, boolean instanceExists, boolean seedExists, UnitState unit,
            Map<String, String> applied, Optional<Integer> sshPort) {
        this(name, instanceExists, seedExists, unit, applied, sshPort, false);
    }

    /** Not running, and {@code up} would resume it from its saved state rather than boot it. */
    public boolean suspended() {
        return savedState && instanceExists && !unit.isRunning();
    }

    public static ObservedVm absent(String name) {
        return new ObservedVm(name, false, false, UnitState.INACTIVE, Map.of(), Optional.empty());
    }

    public boolean exists() {
        return instanceExists || unit != UnitState.INACTIVE;
    }
}
