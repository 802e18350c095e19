package io.qemucompose.driver.qemu;

/** The QEMU machine model; under TCG pc and q35 boot equally fast (measured). virt is arm64's. */
public enum MachineType {
    PC("pc"),
    Q35("q35"),
    VIRT("virt");

    private final String qemuName;

    MachineType(String qemuName) {
        this.qemuName = qemuName;
    }

    public String qemuName() {
        return qemuName;
    }
}
