package io.qemucompose.driver.systemd;

/** systemd KillMode=: which processes of the unit receive the stop signals. */
public enum KillMode {
    CONTROL_GROUP("control-group"), MIXED("mixed"), PROCESS("process"), NONE("none");

    private final String value;

    KillMode(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }
}
