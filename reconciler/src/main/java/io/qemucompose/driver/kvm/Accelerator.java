package io.qemucompose.driver.kvm;

import java.util.List;

/** The QEMU accelerator a VM runs with. */
public enum Accelerator {
    /** Hardware virtualization; the guest sees the host CPU. */
    KVM("kvm", "host"),
    /** Software emulation (multi-threaded TCG); qemu64 is the fastest model measured under TCG. */
    TCG("tcg", "qemu64");

    private final String accel;
    private final String cpuModel;

    Accelerator(String accel, String cpuModel) {
        this.accel = accel;
        this.cpuModel = cpuModel;
    }

    /** {@code -accel <name>}: exactly one accelerator, because QEMU does not fall back from a broken KVM. */
    public List<String> qemuArgs() {
        return List.of("-accel", accel);
    }

    public String cpuModel() {
        return cpuModel;
    }
}
