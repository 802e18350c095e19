package io.qemucompose.driver.qemu;

/** One NIC of a VM. User-mode networking now; bridge/TAP attachments will join this family. */
public sealed interface NetworkAttachment permits UserNetwork {

    /** The NIC's MAC address ({@code 52:54:00:xx:xx:xx}); cloud-init network-config matches on it. */
    String mac();
}
