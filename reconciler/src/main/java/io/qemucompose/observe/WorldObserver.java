package io.qemucompose.observe;

import io.qemucompose.driver.Drivers;
import io.qemucompose.driver.image.ImageCache;
import io.qemucompose.driver.systemd.UnitStatus;
import io.qemucompose.driver.volume.VolumeImages;
import io.qemucompose.driver.volume.VolumeStore;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.Names;
import io.qemucompose.spec.VmSpec;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.ProjectState;
import io.qemucompose.state.StateStore;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the world fresh: instance folders under {@code .qemu-compose/}, what {@code state.json}
 * recorded, unit states from systemd over D-Bus (one ListUnitsByPatterns call for the whole project), and
 * the image cache. Nothing here changes anything.
 */
public final class WorldObserver {

    private final Drivers drivers;

    public WorldObserver(Drivers drivers) {
        this.drivers = drivers;
    }

    public ObservedWorld observe(ComposeProject project) {
        ProjectLayout layout = new ProjectLayout(project.projectDir());
        ProjectState state = new StateStore(layout).read();
        Set<String> names = new LinkedHashSet<>(project.vms().keySet());
        names.addAll(state.vms().keySet());
        names.addAll(layout.instanceNames());
        Map<String, UnitState> units = unitStates(project.name(), names);
        Map<String, ObservedVm> vms = new LinkedHashMap<>();
        for (String name : names) {
            Optional<ProjectState.VmRecord> record = state.vm(name);
            vms.put(name, new ObservedVm(name,
                    Files.isRegularFile(layout.overlayDisk(name)),
                    Files.isRegularFile(layout.seedIso(name)),
                    units.getOrDefault(name, UnitState.INACTIVE),
                    record.map(ProjectState.VmRecord::applied).orElse(Map.of()),
                    record.map(ProjectState.VmRecord::sshPort)));
        }
        Set<String> cached = new HashSet<>();
        ImageCache images = drivers.images();
        for (VmSpec vm : project.vms().values()) {
            String location = vm.image().location().toString();
            if (!vm.image().isLocal() && images.resolve(location, project.projectDir()).present()) {
                cached.add(location);
            }
        }
        VolumeStore volumes = new VolumeStore(layout, new VolumeImages(drivers.qemuImg()));
        Map<String, Long> volumeSizes = new HashMap<>();
        for (String volume : project.volumes().keySet()) {
            volumes.observedSize(volume).ifPresent(size -> volumeSizes.put(volume, size));
        }
        return new ObservedWorld(vms, cached, Files.isRegularFile(layout.sshPrivateKey()), volumeSizes);
    }

    private Map<String, UnitState> unitStates(String project, Set<String> vmNames) {
        Map<String, String> unitToVm = new HashMap<>();
        for (String vm : vmNames) {
            unitToVm.put(Names.unitName(project, vm) + ".service", vm);
        }
        Map<String, UnitState> out = new HashMap<>();
        for (UnitStatus status : drivers.systemd().listUnitStates("qemu-compose-" + project + "-")) {
            String vm = unitToVm.get(status.name());
            if (vm != null) {
                out.put(vm, UnitState.fromSystemd(status.activeState().toString().toLowerCase(java.util.Locale.ROOT)));
            }
        }
        return out;
    }
}
