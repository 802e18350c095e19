package io.qemucompose.driver.qemu;

import java.util.Optional;

/**
 * The management NIC's device model and PCI slot. Haiku and OpenBSD get an e1000 (the images'
 * drivers and qvm's choice); the other profiles virtio-net.
 */
public record NicModel(String device, Optional<String> pciAddress) {

    public static final NicModel VIRTIO_NET_PCI = new NicModel("virtio-net-pci", Optional.empty());

    public static NicModel at(String device, String pciAddress) {
        return new NicModel(device, Optional.of(pciAddress));
    }
}
