package io.qemucompose.driver.kvm;

import io.qemucompose.spec.GuestArch;
import java.util.List;
import java.util.function.Supplier;

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

    /**
     * qvm's {@code hvf:kvm:tcg}, done right: KVM only when the guest's architecture is the host's and
     * the functional probe passes; another architecture is always emulated (arm64 on x86-64 is TCG),
     * and then the probe is not even run.
     */
    public static Accelerator forGuest(GuestArch guest, GuestArch host, Supplier<Accelerator> probe) {
        return guest == host ? probe.get() : TCG;
    }

    public String cpuModel() {
        return cpuModel;
    }
}
