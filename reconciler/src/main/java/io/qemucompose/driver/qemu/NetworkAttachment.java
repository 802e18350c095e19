package io.qemucompose.driver.qemu;

/** One NIC of a VM: user-mode networking (management, SSH) or a TAP on a bridge network. */
public sealed interface NetworkAttachment permits UserNetwork, TapNetwork {

    /** The NIC's MAC address ({@code 52:54:00:xx:xx:xx}); cloud-init network-config matches on it. */
    String mac();
}
