package io.qemucompose.driver.ssh;

/**
 * What a readiness probe found. Only {@link Ready} means the VM can be used: SSH accepted the
 * project key and cloud-init finished on this boot.
 */
public sealed interface Readiness {

    default boolean ready() {
        return false;
    }

    /** No SSH yet (refused, timed out, or QEMU's slirp accepted the TCP connection with no sshd behind it). */
    record Unreachable(String reason) implements Readiness {
    }

    /** sshd is up but refused the key: normal early in the first boot, before cloud-init installed it. */
    record KeyRejected(String reason) implements Readiness {
    }

    /** Logged in; cloud-init is still working ({@code status} as cloud-init says it). */
    record Provisioning(String status) implements Readiness {
    }

    /** cloud-init finished with errors: waiting longer will not help. */
    record ProvisioningFailed(String status) implements Readiness {
    }

    record Ready() implements Readiness {
        @Override
        public boolean ready() {
            return true;
        }
    }
}
