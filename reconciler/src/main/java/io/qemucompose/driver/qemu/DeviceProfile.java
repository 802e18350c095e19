package io.qemucompose.driver.qemu;

import io.qemucompose.driver.cloudinit.KeyDisk;
import io.qemucompose.driver.kvm.Accelerator;
import io.qemucompose.spec.GuestArch;
import io.qemucompose.spec.GuestOs;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The virtual hardware one guest OS on one architecture is known to boot with: data that
 * {@link QemuCommandLine} reads, never a branch in it. The table is {@link DeviceProfiles}.
 *
 * @param tcgCpu         the CPU model under TCG
 * @param kvmCpu         the CPU model under KVM (an emulated model KVM can run: {@code host} or {@code max})
 * @param userNetIpv6Off {@code ipv6=off} on the user network (qvm's Haiku and NetBSD drivers set it)
 * @param diskOptions    {@code -drive} options of the boot disk beyond file, id and format
 * @param seed           how the cloud-init seed is attached; {@link SeedDrive#NONE} for guests without cloud-init
 * @param guestAgent     a virtio-serial port for the QEMU guest agent (the images have one)
 * @param shares9p       whether {@code -virtfs} shares can be mounted by the guest
 * @param extraArgs      arguments the profile's source listing fixes and that have no model here
 *                       ({@code -nographic}, {@code -monitor none}, {@code -boot strict=off})
 * @param keyDisk        for images without cloud-init: the resource disk with the project's public key
 *                       (see {@link KeyDisk}), and its layout
 */
public record DeviceProfile(GuestOs os, GuestArch arch, MachineType machine, String tcgCpu, String kvmCpu,
        NicModel nic, boolean userNetIpv6Off, DiskBus disk, List<String> diskOptions, Optional<Firmware> firmware,
        SeedDrive seed, boolean guestAgent, boolean shares9p, List<String> extraArgs,
        Optional<KeyDisk.Layout> keyDisk) {

    /** How the NoCloud seed ISO reaches the guest. */
    public enum SeedDrive {
        /** an IDE CD-ROM (the x86 machines have an IDE/AHCI controller built in) */
        IDE_CDROM,
        /** a read-only virtio disk: arm64's virt machine has no IDE, and cloud-init finds the seed by its label */
        VIRTIO_BLK,
        /** no seed: the guest has no cloud-init */
        NONE
    }

    public DeviceProfile {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(arch, "arch");
        diskOptions = List.copyOf(diskOptions);
        extraArgs = List.copyOf(extraArgs);
    }

    /** {@code freebsd-x86-64}: the name of qvm's driver file for this OS and architecture. */
    public String name() {
        return os.id() + "-" + arch.imageName();
    }

    public String cpu(Accelerator accelerator) {
        return accelerator == Accelerator.KVM ? kvmCpu : tcgCpu;
    }

    public boolean cloudInit() {
        return seed != SeedDrive.NONE;
    }
}
