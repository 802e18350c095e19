package io.qemucompose.apply;

import io.qemucompose.desired.GuestMounts;
import io.qemucompose.driver.cloudinit.CloudInitConfig;
import io.qemucompose.driver.cloudinit.ShellWords;
import io.qemucompose.driver.volume.VolumeImages;
import io.qemucompose.driver.volume.VolumeMetadata;
import io.qemucompose.driver.volume.VolumeStore;
import io.qemucompose.plan.Action;
import io.qemucompose.spec.ByteSize;
import io.qemucompose.spec.GuestUid;
import io.qemucompose.spec.Mount;
import io.qemucompose.spec.VmSpec;

/** Carries out the named-volume actions, and adds a VM's mounts to its cloud-init seed. */
final class VolumeActions {

    private final ApplyContext ctx;
    private final VolumeStore store;

    VolumeActions(ApplyContext ctx) {
        this.ctx = ctx;
        this.store = new VolumeStore(ctx.layout(), new VolumeImages(ctx.drivers().qemuImg()));
    }

    void create(Action.CreateVolume a) {
        GuestUid owner = owner(a.volume());
        VolumeMetadata meta = store.create(a.volume(), a.bytes(), owner.uid(), owner.gid());
        ctx.progress().accept("volume " + a.volume() + ": created " + meta.path() + " (" + new ByteSize(meta.sizeBytes())
                + ", ext4)");
    }

    /**
     * Who owns a fresh volume's root folder: the login user of the first VM (file order) that
     * mounts it read-write, so that user can write to it without sudo; by default uid 1000, the
     * image's first user.
     */
    private GuestUid owner(String volume) {
        return ctx.project().vms().values().stream()
                .filter(vm -> vm.volumes().stream().anyMatch(m -> m instanceof Mount.NamedVolumeMount v
                        && v.volume().equals(volume) && !v.readOnly()))
                .findFirst()
                .flatMap(VmSpec::uid)
                .orElse(new GuestUid(VolumeImages.GUEST_OWNER_ID, VolumeImages.GUEST_OWNER_ID, GuestUid.Origin.HOST));
    }

    void grow(Action.GrowVolume a) {
        VolumeMetadata meta = store.grow(a.volume(), a.bytes());
        ctx.progress().accept("volume " + a.volume() + ": grown to " + new ByteSize(meta.sizeBytes())
                + " (the file system grows when the VM boots)");
    }

    /**
     * fstab entries for the VM's automounted 9p shares and its named volumes (by their by-id path,
     * never /dev/vdX, so the order of disks cannot mount the wrong one). Each read-write volume
     * also gets a runcmd that grows its file system to the disk: a grown volume changes the seed
     * (its size is part of the VM's "volumes" field), so the new instance runs it once; on an
     * unchanged disk resize2fs has nothing to do.
     */
    static CloudInitConfig withMounts(CloudInitConfig config, VmSpec vm) {
        GuestMounts mounts = GuestMounts.of(vm);
        for (GuestMounts.Share9p s : mounts.shares()) {
            if (s.automount()) {
                config = config.withMount(new CloudInitConfig.GuestMount(s.tag(), s.target(), "9p",
                        s.options() + ",nofail", 0));
                if (s.file().isPresent()) {
                    // runcmd runs as root after cloud-init's mounts, before the provision steps
                    config = config.withRuncmd(s.file().get().linkCommand(s.target(), ""));
                }
            }
        }
        for (GuestMounts.VolumeDisk v : mounts.disks()) {
            config = config.withMount(new CloudInitConfig.GuestMount(v.devicePath(), v.target(), "ext4", v.options(),
                    v.readOnly() ? 0 : 2));
            if (!v.readOnly()) {
                config = config.withRuncmd("if mountpoint -q " + ShellWords.quote(v.target())
                        + "; then resize2fs \"$(readlink -f " + ShellWords.quote(v.devicePath()) + ")\" || true; fi");
            }
        }
        return config;
    }
}
