package io.qemucompose.driver.qemu;

/**
 * How QEMU executes guest code. The caller decides (a functional KVM probe lives elsewhere):
 * a KVM that opens but cannot run guests must never be chosen blindly.
 */
public enum Accelerator {
    KVM("kvm", "host"),
    TCG("tcg", "qemu64");

    private final String qemuName;
    private final String defaultCpuModel;

    Accelerator(String qemuName, String defaultCpuModel) {
        this.qemuName = qemuName;
        this.defaultCpuModel = defaultCpuModel;
    }

    public String qemuName() {
        return qemuName;
    }

    /** {@code host} passes the real CPU through under KVM; {@code qemu64} was the fastest model measured under TCG. */
    public String defaultCpuModel() {
        return defaultCpuModel;
    }
}
