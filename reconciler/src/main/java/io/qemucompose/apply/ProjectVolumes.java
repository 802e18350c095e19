package io.qemucompose.apply;

import io.qemucompose.driver.Drivers;
import io.qemucompose.driver.volume.VolumeImages;
import io.qemucompose.driver.volume.VolumeMetadata;
import io.qemucompose.driver.volume.VolumeStore;
import io.qemucompose.observe.ObservedVm;
import io.qemucompose.observe.ObservedWorld;
import io.qemucompose.observe.WorldObserver;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.Mount;
import io.qemucompose.spec.VmSpec;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.ProjectLock;
import io.qemucompose.state.StateStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The project's named volumes as {@code volume ls}, {@code volume rm} and {@code destroy --volumes}
 * see them: what exists, which VMs use each, and removal that refuses while a running VM uses it.
 */
public final class ProjectVolumes {

    /**
     * One existing volume.
     *
     * @param usedBy VMs of the compose file that mount it, in file order
     * @param runningUsers VMs whose unit is running with it attached (from the file, or from what
     *     was applied when they started, so an edited file or an orphan still counts)
     */
    public record VolumeInfo(VolumeMetadata metadata, boolean declared, List<String> usedBy, List<String> runningUsers) {
        public VolumeInfo {
            usedBy = List.copyOf(usedBy);
            runningUsers = List.copyOf(runningUsers);
        }
    }

    /** {@code volume rm} of a volume a running VM uses; nothing was removed. */
    public static final class VolumeInUseException extends RuntimeException {
        public VolumeInUseException(String message) {
            super(message);
        }
    }

    private final ComposeProject project;
    private final Drivers drivers;
    private final ProjectLayout layout;
    private final VolumeStore store;

    public ProjectVolumes(ComposeProject project, Drivers drivers) {
        this.project = project;
        this.drivers = drivers;
        this.layout = new ProjectLayout(project.projectDir());
        this.store = new VolumeStore(layout, new VolumeImages(drivers.qemuImg()));
    }

    /** Existing volumes, by name. */
    public List<VolumeInfo> list() {
        ObservedWorld world = new WorldObserver(drivers).observe(project);
        List<VolumeInfo> out = new ArrayList<>();
        for (VolumeMetadata meta : new TreeMap<>(store.list()).values()) {
            out.add(info(meta, world));
        }
        return out;
    }

    public Optional<VolumeInfo> find(String volume) {
        return store.get(volume).map(meta -> info(meta, new WorldObserver(drivers).observe(project)));
    }

    /**
     * Removes the volume's disk and record under the project lock.
     *
     * @return false when there was no such volume
     * @throws VolumeInUseException when a running VM uses it
     */
    public boolean remove(String volume) {
        try (ProjectLock.Held ignored = new StateStore(layout).lock()) {
            Optional<VolumeMetadata> meta = store.get(volume);
            boolean diskExists = java.nio.file.Files.exists(layout.volumeDir(volume));
            if (meta.isEmpty() && !diskExists) {
                return false;
            }
            List<String> running = runningUsers(volume, new WorldObserver(drivers).observe(project));
            if (!running.isEmpty()) {
                throw new VolumeInUseException("volume " + volume + " is in use by running VM "
                        + String.join(", ", running) + "; stop " + (running.size() == 1 ? "it" : "them")
                        + " first (qemu-compose stop " + String.join(" ", running) + ")");
            }
            store.remove(volume);
            return true;
        }
    }

    private VolumeInfo info(VolumeMetadata meta, ObservedWorld world) {
        List<String> usedBy = new ArrayList<>();
        for (VmSpec vm : project.vms().values()) {
            if (mounts(vm, meta.name())) {
                usedBy.add(vm.name());
            }
        }
        return new VolumeInfo(meta, project.volumes().containsKey(meta.name()), usedBy,
                runningUsers(meta.name(), world));
    }

    private List<String> runningUsers(String volume, ObservedWorld world) {
        Set<String> out = new LinkedHashSet<>();
        for (ObservedVm o : world.vms().values()) {
            if (!o.unit().isRunning()) {
                continue;
            }
            VmSpec spec = project.vms().get(o.name());
            if ((spec != null && mounts(spec, volume)) || appliedMounts(o, volume)) {
                out.add(o.name());
            }
        }
        return List.copyOf(out);
    }

    private static boolean mounts(VmSpec vm, String volume) {
        return vm.volumes().stream().anyMatch(m -> m instanceof Mount.NamedVolumeMount v && v.volume().equals(volume));
    }

    /** The applied "volumes" field lists "name:/target…" for named volumes; bind sources are absolute paths. */
    private static boolean appliedMounts(ObservedVm o, String volume) {
        String applied = o.applied().getOrDefault("volumes", "");
        for (String entry : applied.split(", ")) {
            if (entry.startsWith(volume + ":/")) {
                return true;
            }
        }
        return false;
    }
}
