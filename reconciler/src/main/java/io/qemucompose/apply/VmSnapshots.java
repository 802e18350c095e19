package io.qemucompose.apply;

import io.qemucompose.desired.GuestMounts;
import io.qemucompose.driver.Drivers;
import io.qemucompose.driver.image.QemuImg;
import io.qemucompose.driver.qemu.InternalSnapshots;
import io.qemucompose.driver.qemu.QmpClient;
import io.qemucompose.driver.qemu.QmpException;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.Mount;
import io.qemucompose.spec.VmSpec;
import io.qemucompose.state.ProjectLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * {@code snapshot save|restore|ls|rm}: qcow2 internal snapshots, the VM's disk, its writable named
 * volumes and its RAM together, taken and loaded in the running QEMU (see docs/snapshots.md for why).
 * Listing and removing also work while the VM is stopped; saving and restoring need it running.
 */
public final class VmSnapshots {

    /** A tag QEMU and qemu-img take as it is, and that reads well in a table. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration QMP_CONNECT = Duration.ofSeconds(15);

    /** One snapshot of a VM, as {@code snapshot ls} shows it. */
    public record Snapshot(String vm, String name, long ramBytes, java.time.Instant created, Duration guestUptime) {
    }

    private final ComposeProject project;
    private final ProjectLayout layout;
    private final Drivers drivers;
    private final Consumer<String> progress;

    public VmSnapshots(ComposeProject project, Drivers drivers, Consumer<String> progress) {
        this.project = project;
        this.layout = new ProjectLayout(project.projectDir());
        this.drivers = drivers;
        this.progress = progress;
    }

    /** Refuses a name that is not a plain tag, saying what is allowed. */
    public static String checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("snapshot name '" + name + "' is not allowed: use 1-64 letters, digits,"
                    + " '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }

    public void save(String vm, String name) {
        checkName(name);
        VmSpec spec = runningSpec(vm, "save");
        refuseSharedVolumes(vm, spec);
        if (list(vm).stream().anyMatch(s -> s.name().equals(name))) {
            throw new IllegalArgumentException(vm + " has a snapshot named '" + name + "' already; remove it first"
                    + " (`qemu-compose snapshot rm " + vm + " " + name + "`) or choose another name");
        }
        long start = System.nanoTime();
        SavedStates states = new SavedStates(layout, progress);
        try (QmpClient qmp = qmp(vm);
                SavedStates.SharesAway away = states.sharesAway(vm, spec, SavedStates.mounts(spec), "snapshot")) {
            InternalSnapshots.save(qmp, name, InternalSnapshots.snapshotDrives(qmp), JOB_TIMEOUT);
        } catch (QmpException e) {
            throw new IllegalStateException("cannot save snapshot '" + name + "' of " + vm + ": " + e.getMessage(), e);
        }
        progress.accept(vm + ": saved snapshot '" + name + "' in " + seconds(start) + " s" + volumesNote(spec));
    }

    public void restore(String vm, String name) {
        checkName(name);
        VmSpec spec = runningSpec(vm, "restore");
        refuseSharedVolumes(vm, spec);
        if (list(vm).stream().noneMatch(s -> s.name().equals(name))) {
            throw new IllegalArgumentException(vm + " has no snapshot named '" + name + "'" + names(vm));
        }
        long start = System.nanoTime();
        SavedStates states = new SavedStates(layout, progress);
        try (QmpClient qmp = qmp(vm);
                SavedStates.SharesAway away = states.sharesAway(vm, spec, SavedStates.mounts(spec), "restore a snapshot of")) {
            InternalSnapshots.load(qmp, name, InternalSnapshots.snapshotDrives(qmp), JOB_TIMEOUT);
            away.keepUnmounted(); // the guest in the snapshot has them unmounted: afterWake mounts them
        } catch (QmpException e) {
            throw new IllegalStateException("cannot restore snapshot '" + name + "' of " + vm + ": " + e.getMessage(), e);
        }
        progress.accept(vm + ": restored snapshot '" + name + "' in " + seconds(start) + " s (no reboot)");
        states.afterWake(vm, spec, SavedStates.mounts(spec));
    }

    /** The VM's snapshots, read from its disk (works whether or not it runs). */
    public List<Snapshot> list(String vm) {
        Path disk = layout.overlayDisk(vm);
        if (!Files.isRegularFile(disk)) {
            return List.of();
        }
        List<Snapshot> out = new ArrayList<>();
        for (QemuImg.InternalSnapshot s : drivers.qemuImg().snapshots(disk)) {
            out.add(new Snapshot(vm, s.name(), s.vmStateBytes(), s.created(), s.vmClock()));
        }
        return out;
    }

    public void remove(String vm, String name) {
        checkName(name);
        if (list(vm).stream().noneMatch(s -> s.name().equals(name))) {
            throw new IllegalArgumentException(vm + " has no snapshot named '" + name + "'" + names(vm));
        }
        if (running(vm)) {
            try (QmpClient qmp = qmp(vm)) {
                InternalSnapshots.delete(qmp, name, InternalSnapshots.snapshotDrives(qmp), JOB_TIMEOUT);
            } catch (QmpException e) {
                throw new IllegalStateException("cannot remove snapshot '" + name + "' of " + vm + ": " + e.getMessage(), e);
            }
        } else {
            for (Path disk : disks(vm)) {
                if (drivers.qemuImg().snapshots(disk).stream().anyMatch(s -> s.name().equals(name))) {
                    drivers.qemuImg().deleteSnapshot(disk, name);
                }
            }
        }
        progress.accept(vm + ": removed snapshot '" + name + "'");
    }

    /**
     * Before an instance is removed: its snapshots' tags in its named volumes go too (the volumes
     * stay). The VM is stopped by then, so qemu-img may write the volumes.
     */
    void removeFromVolumes(String vm) {
        if (disks(vm).size() < 2 || !Files.isRegularFile(layout.overlayDisk(vm))) {
            return;
        }
        List<String> names = list(vm).stream().map(Snapshot::name).toList();
        List<Path> disks = disks(vm);
        for (Path disk : disks.subList(Math.min(1, disks.size()), disks.size())) {
            for (QemuImg.InternalSnapshot s : drivers.qemuImg().snapshots(disk)) {
                if (names.contains(s.name())) {
                    drivers.qemuImg().deleteSnapshot(disk, s.name());
                }
            }
        }
    }

    /** The VM's disk, then each writable named volume it mounts (those a snapshot includes). */
    private List<Path> disks(String vm) {
        List<Path> out = new ArrayList<>();
        out.add(layout.overlayDisk(vm));
        VmSpec spec = project.vms().get(vm);
        if (spec != null) {
            for (GuestMounts.VolumeDisk v : GuestMounts.of(spec).disks()) {
                Path disk = layout.volumeDisk(v.volume());
                if (!v.readOnly() && Files.isRegularFile(disk)) {
                    out.add(disk);
                }
            }
        }
        return out;
    }

    /** A volume another VM writes to would be rolled back under that VM's feet. */
    private void refuseSharedVolumes(String vm, VmSpec spec) {
        for (GuestMounts.VolumeDisk mine : GuestMounts.of(spec).disks()) {
            if (mine.readOnly()) {
                continue;
            }
            for (VmSpec other : project.vms().values()) {
                if (other.name().equals(vm)) {
                    continue;
                }
                for (Mount m : other.volumes()) {
                    if (m instanceof Mount.NamedVolumeMount v && v.volume().equals(mine.volume())) {
                        throw new IllegalArgumentException("vms." + vm + ".volumes: volume '" + mine.volume()
                                + "' is also mounted by " + other.name() + "; a snapshot of " + vm + " would roll it"
                                + " back under " + other.name() + "; snapshots of VMs that share a writable volume are"
                                + " not supported");
                    }
                }
            }
        }
    }

    private VmSpec runningSpec(String vm, String verb) {
        VmSpec spec = project.vms().get(vm);
        if (spec == null) {
            throw new IllegalArgumentException("no VM named " + vm + " in the compose file (VMs: "
                    + String.join(", ", project.vms().keySet()) + ")");
        }
        if (!running(vm)) {
            throw new IllegalArgumentException("cannot " + verb + " a snapshot of " + vm + ": it is not running (a"
                    + " snapshot holds the RAM of a running VM); `qemu-compose up " + vm + "` first");
        }
        return spec;
    }

    private boolean running(String vm) {
        var status = drivers.systemd().unit(ProjectLayout.vmUnit(project.name(), vm));
        return status.loaded() && status.isActive();
    }

    private QmpClient qmp(String vm) {
        return QmpClient.connect(layout.reachableSocket(layout.qmpSocket(vm)), QMP_CONNECT);
    }

    private String names(String vm) {
        List<String> names = list(vm).stream().map(Snapshot::name).toList();
        return names.isEmpty() ? " (it has none)" : " (it has: " + String.join(", ", names) + ")";
    }

    private static String volumesNote(VmSpec spec) {
        List<String> volumes = GuestMounts.of(spec).disks().stream().filter(v -> !v.readOnly())
                .map(GuestMounts.VolumeDisk::volume).toList();
        return volumes.isEmpty() ? "" : " (with volume" + (volumes.size() > 1 ? "s " : " ") + String.join(", ", volumes) + ")";
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 100_000_000 / 10.0;
    }
}
