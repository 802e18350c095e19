package io.qemucompose.plan;

import java.util.List;

/** The file asks for something that cannot be done safely (e.g. shrinking a disk); nothing was changed. */
public final class PlanRefusedException extends Exception {
    private final List<String> reasons;

    public PlanRefusedException(List<String> reasons) {
        super(String.join("\n", reasons));
        this.reasons = List.copyOf(reasons);
    }

    public List<String> reasons() {
        return reasons;
    }
}
