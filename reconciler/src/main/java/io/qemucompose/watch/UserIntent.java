package io.qemucompose.watch;

import io.qemucompose.state.ProjectState;
import io.qemucompose.state.StateStore;
import java.util.Collection;

/**
 * What the user asked for that the world cannot show: a VM stopped on purpose looks the same as a
 * VM that crashed. {@code stop} records it in state.json so the watcher does not start the VM
 * again behind the user's back; starting the VM (up, apply) clears it.
 */
public final class UserIntent {

    private UserIntent() {}

    /** Marks the VMs (those the project has records of) as stopped by the user. Takes the project lock. */
    public static void markStopped(StateStore state, Collection<String> vms) {
        state.update(s -> {
            ProjectState out = s;
            for (String vm : vms) {
                var record = s.vm(vm);
                if (record.isPresent() && !record.get().stoppedByUser()) {
                    out = out.withVm(vm, record.get().withStoppedByUser(true));
                }
            }
            return out;
        });
    }
}
