package io.qemucompose.driver.qemu;

/**
 * One NIC of a VM: user-mode networking (management, SSH), a TAP on a bridge network, or a bridge
 * NIC relayed into the project's own namespace (rootless mode).
 */
public sealed interface NetworkAttachment permits UserNetwork, TapNetwork, RelayedNetwork {

    /** The NIC's MAC address ({@code 52:54:00:xx:xx:xx}); cloud-init network-config matches on it. */
    String mac();
}
