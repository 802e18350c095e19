package io.qemucompose.driver.qemu;

/** The QEMU machine model; under TCG both boot equally fast (measured). */
public enum MachineType {
    PC("pc"),
    Q35("q35");

    private final String qemuName;

    MachineType(String qemuName) {
        this.qemuName = qemuName;
    }

    public String qemuName() {
        return qemuName;
    }
}
