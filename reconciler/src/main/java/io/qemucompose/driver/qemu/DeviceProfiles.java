package io.qemucompose.driver.qemu;

import io.qemucompose.driver.cloudinit.KeyDisk;
import io.qemucompose.driver.qemu.DeviceProfile.SeedDrive;
import io.qemucompose.spec.GuestArch;
import io.qemucompose.spec.GuestOs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every OS/architecture combination qemu-compose can start, as data. The Linux profiles are our
 * cloud-init guests; the other eight are qvm's drivers ({@code freebsd-x86-64.sh}, …) with their
 * machine, CPU, NIC, disk bus and firmware exactly as its specification lists them.
 */
public final class DeviceProfiles {

    /** The qvm drivers' fixed arguments that have no model of their own here. */
    private static final List<String> QVM_ARGS = List.of("-nographic", "-monitor", "none", "-boot", "strict=off");
    /** cache=unsafe, discard=ignore: qvm's choice for throw-away CI guests (see docs/os-profiles.md). */
    private static final List<String> QVM_DISK = List.of("cache=unsafe", "discard=ignore");
    private static final NicModel VIRTIO_NET_03 = NicModel.at("virtio-net", "0x03");
    private static final NicModel E1000_03 = NicModel.at("e1000", "0x03");

    public static final DeviceProfile LINUX_X86_64 = new DeviceProfile(GuestOs.LINUX, GuestArch.X86_64, MachineType.PC,
            "qemu64", "host", NicModel.VIRTIO_NET_PCI, false, DiskBus.VIRTIO_BLK_PCI, List.of("discard=unmap"),
            Optional.empty(), SeedDrive.IDE_CDROM, true, true, List.of(), Optional.empty());

    /**
     * UEFI as two flash banks (read-only code, the VM's own variable store), not {@code -bios}: the
     * command line Arm64GuestIT boots the Debian arm64 test image with, as libvirt runs AAVMF.
     */
    public static final DeviceProfile LINUX_ARM64 = new DeviceProfile(GuestOs.LINUX, GuestArch.AARCH64,
            MachineType.VIRT, "cortex-a57", "host", NicModel.VIRTIO_NET_PCI, false, DiskBus.VIRTIO_BLK_PCI,
            List.of("discard=unmap"), Optional.of(Firmware.AAVMF), SeedDrive.VIRTIO_BLK, true, true, List.of(),
            Optional.empty());

    private static final Map<String, DeviceProfile> ALL = new LinkedHashMap<>();

    static {
        add(LINUX_X86_64);
        add(LINUX_ARM64);
        add(qvmArm64(GuestOs.FREEBSD, DiskBus.VIRTIO_BLK_PCI, false, Firmware.AARCH64_UEFI));
        add(qvmX86(GuestOs.FREEBSD, "max", VIRTIO_NET_03, false, DiskBus.VIRTIO_BLK_PCI, Firmware.SEABIOS));
        add(qvmX86(GuestOs.HAIKU, "max", E1000_03, true, DiskBus.VIRTIO_SCSI, Firmware.SEABIOS));
        add(qvmArm64(GuestOs.OPENBSD, DiskBus.VIRTIO_SCSI, false, Firmware.AARCH64_UEFI_FOR_LINARO));
        // qvm's OpenBSD driver hides 1 GiB pages (pdpe1gb) from the guest
        add(qvmX86(GuestOs.OPENBSD, "max,-pdpe1gb", E1000_03, false, DiskBus.VIRTIO_SCSI, Firmware.OVMF));
        add(qvmX86(GuestOs.NETBSD, "max", VIRTIO_NET_03, true, DiskBus.VIRTIO_SCSI, Firmware.SEABIOS));
        add(qvmArm64(GuestOs.NETBSD, DiskBus.VIRTIO_SCSI, true, Firmware.AARCH64_UEFI));
        // qvm's OmniOS driver puts the boot disk in PCI slot 2, ahead of the NIC in slot 3
        add(qvmX86(GuestOs.OMNIOS, "max", VIRTIO_NET_03, false, DiskBus.virtioBlkAt("virtio-blk", "0x02"),
                Firmware.SEABIOS));
    }

    private DeviceProfiles() {
    }

    private static void add(DeviceProfile p) {
        ALL.put(p.name(), p);
    }

    private static DeviceProfile qvmX86(GuestOs os, String cpu, NicModel nic, boolean ipv6Off, DiskBus disk,
            Firmware firmware) {
        return new DeviceProfile(os, GuestArch.X86_64, MachineType.Q35, cpu, cpu, nic, ipv6Off, disk, QVM_DISK,
                Optional.of(firmware), SeedDrive.NONE, false, false, QVM_ARGS, Optional.of(keyDiskLayout(os)));
    }

    /** cortex-a57 under TCG as qvm says; under KVM only the host's own CPU model can run. */
    private static DeviceProfile qvmArm64(GuestOs os, DiskBus disk, boolean ipv6Off, Firmware firmware) {
        return new DeviceProfile(os, GuestArch.AARCH64, MachineType.VIRT, "cortex-a57", "host", VIRTIO_NET_03, ipv6Off,
                disk, QVM_DISK, Optional.of(firmware), SeedDrive.NONE, false, false, QVM_ARGS,
                Optional.of(keyDiskLayout(os)));
    }

    /** FreeBSD's boot script mounts a partition of the key disk; the others' the whole disk. */
    private static KeyDisk.Layout keyDiskLayout(GuestOs os) {
        return os == GuestOs.FREEBSD ? KeyDisk.Layout.MBR_PARTITION : KeyDisk.Layout.WHOLE_DISK;
    }

    /** Linux x86-64 on another machine type (tests and callers that choose q35). */
    static DeviceProfile linuxX86(MachineType machine) {
        var p = LINUX_X86_64;
        return machine == p.machine() ? p : new DeviceProfile(p.os(), p.arch(), machine, p.tcgCpu(), p.kvmCpu(), p.nic(),
                p.userNetIpv6Off(), p.disk(), p.diskOptions(), p.firmware(), p.seed(), p.guestAgent(), p.shares9p(),
                p.extraArgs(), p.keyDisk());
    }

    public static Optional<DeviceProfile> of(GuestOs os, GuestArch arch) {
        return Optional.ofNullable(ALL.get(os.id() + "-" + arch.imageName()));
    }

    /** Every profile, Linux first, then qvm's drivers in its specification's order. */
    public static List<DeviceProfile> all() {
        return List.copyOf(ALL.values());
    }

    /** What exists for an OS, for an error message: {@code linux/amd64, linux/arm64}. */
    public static List<String> platformsOf(GuestOs os) {
        return ALL.values().stream().filter(p -> p.os() == os).map(p -> p.arch().platform()).toList();
    }
}
