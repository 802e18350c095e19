package io.qemucompose.driver.qemu;

import java.util.Optional;

/**
 * How the boot disk is attached: a virtio-blk device, or a virtio-scsi controller with a scsi-hd on it.
 *
 * @param controller a controller device placed before the disk ({@code virtio-scsi-pci}), if any
 * @param device     the disk's device model
 * @param pciAddress a fixed PCI slot ({@code 0x02} for OmniOS, whose image expects its disk there)
 */
public record DiskBus(Optional<String> controller, String device, Optional<String> pciAddress) {

    public static final DiskBus VIRTIO_BLK_PCI = new DiskBus(Optional.empty(), "virtio-blk-pci", Optional.empty());
    public static final DiskBus VIRTIO_SCSI = new DiskBus(Optional.of("virtio-scsi-pci"), "scsi-hd", Optional.empty());

    public static DiskBus virtioBlkAt(String device, String pciAddress) {
        return new DiskBus(Optional.empty(), device, Optional.of(pciAddress));
    }
}
