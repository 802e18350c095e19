package io.qemucompose.apply;

import io.qemucompose.desired.DesiredState;
import io.qemucompose.desired.DesiredVm;
import io.qemucompose.plan.Action;
import io.qemucompose.plan.Plan;
import io.qemucompose.plan.PlanRefusedException;
import io.qemucompose.spec.Mount;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Host folders of bind mounts must exist when a VM that shares them is about to start. A missing
 * one is an error at plan time, not created: a typo in the file would otherwise share a fresh
 * empty folder and the guest would silently see nothing (docker's create-as-root behaviour is a
 * well-known trap), and QEMU itself would refuse to start with a far less clear message. A
 * regular file is fine (its folder is shared, see {@code GuestMounts}); a socket or device is not.
 */
final class BindMountCheck {

    private BindMountCheck() {}

    static void check(DesiredState desired, Plan plan) throws PlanRefusedException {
        List<String> problems = new ArrayList<>();
        for (Action a : plan.actions()) {
            if (!(a instanceof Action.StartVm || a instanceof Action.ResumeVm)) {
                continue;
            }
            DesiredVm d = desired.vms().get(a.vm());
            if (d == null) {
                continue;
            }
            List<Mount> mounts = d.spec().volumes();
            for (int i = 0; i < mounts.size(); i++) {
                if (!(mounts.get(i) instanceof Mount.BindMount b)) {
                    continue;
                }
                String where = "vms." + d.name() + ".volumes[" + i + "]: ";
                if (!Files.exists(b.source())) {
                    problems.add(where + "host path " + b.source() + " does not exist; create it (mkdir -p "
                            + b.source() + ") or fix the path");
                } else if (!Files.isDirectory(b.source()) && !Files.isRegularFile(b.source())) {
                    problems.add(where + "host path " + b.source() + " is neither a folder nor a regular file");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new PlanRefusedException(problems);
        }
    }
}
