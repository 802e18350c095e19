package io.qemucompose.plan;

import java.time.Duration;
import java.util.List;

/**
 * One small, idempotent step of a plan. Each checks the world before it acts, so a plan that was
 * cut short (a crash, a kill -9) is finished safely by the next run.
 */
public sealed interface Action {

    /** Unique within a plan; other actions name it in {@link #dependsOn()}. */
    String id();

    /** Ids of actions that must succeed first; ids not in the plan count as already done. */
    List<String> dependsOn();

    /** One line for people: what and why. */
    String describe();

    /** The VM this action belongs to, or empty for project-wide steps. */
    default String vm() {
        return "";
    }

    static String id(String type, String vm) {
        return type + ":" + vm;
    }

    record EnsureSshKey() implements Action {
        public String id() { return "ssh-key"; }
        public List<String> dependsOn() { return List.of(); }
        public String describe() { return "generate the project SSH key"; }
    }

    record PullImage(String location) implements Action {
        public String id() { return "pull:" + location; }
        public List<String> dependsOn() { return List.of(); }
        public String describe() { return "pull base image " + location; }
    }

    record LeaseSshPort(String vm) implements Action {
        public String id() { return Action.id("lease-port", vm); }
        public List<String> dependsOn() { return List.of(); }
        public String describe() { return "lease a host port for SSH to " + vm; }
    }

    record StopVm(String vm, boolean force, Duration timeout) implements Action {
        public String id() { return Action.id("stop", vm); }
        public List<String> dependsOn() { return List.of(); }
        public String describe() {
            return force ? "stop " + vm + " at once (SIGTERM)" : "stop " + vm + " gracefully (up to " + timeout.toSeconds() + " s)";
        }
    }

    record RemoveInstance(String vm, boolean releasePort, List<String> dependsOn) implements Action {
        public String id() { return Action.id("remove", vm); }
        public String describe() { return "remove the instance disk and seed of " + vm; }
    }

    record CreateOverlay(String vm, String imageLocation, List<String> dependsOn) implements Action {
        public String id() { return Action.id("overlay", vm); }
        public String describe() { return "create the copy-on-write disk of " + vm; }
    }

    record ResizeOverlay(String vm, long bytes, List<String> dependsOn) implements Action {
        public String id() { return Action.id("resize", vm); }
        public String describe() { return "grow the disk of " + vm + " to " + new io.qemucompose.spec.ByteSize(bytes); }
    }

    record WriteSeed(String vm, List<String> dependsOn) implements Action {
        public String id() { return Action.id("seed", vm); }
        public String describe() { return "write the cloud-init seed of " + vm; }
    }

    record StartVm(String vm, List<String> dependsOn) implements Action {
        public String id() { return Action.id("start", vm); }
        public String describe() { return "start unit of " + vm; }
    }

    record RecordApplied(String vm, List<String> dependsOn) implements Action {
        public String id() { return Action.id("record", vm); }
        public String describe() { return "record the settings of " + vm; }
    }

    record AwaitReady(String vm, List<String> dependsOn) implements Action {
        public String id() { return Action.id("ready", vm); }
        public String describe() { return "wait until " + vm + " answers SSH and cloud-init is done"; }
    }

    /** Makes a named volume's disk (qcow2, ext4, no root needed); starting a VM that mounts it waits for it. */
    record CreateVolume(String volume, long bytes) implements Action {
        public String id() { return "volume:" + volume; }
        public List<String> dependsOn() { return List.of(); }
        public String describe() {
            return "create volume " + volume + " (" + new io.qemucompose.spec.ByteSize(bytes) + ", ext4)";
        }
    }

    /** Grows a named volume's disk while the VMs using it are stopped; the guest grows the file system. */
    record GrowVolume(String volume, long fromBytes, long bytes, List<String> dependsOn) implements Action {
        public String id() { return "volume:" + volume; }
        public String describe() {
            return "grow volume " + volume + " from " + new io.qemucompose.spec.ByteSize(fromBytes) + " to "
                    + new io.qemucompose.spec.ByteSize(bytes);
        }
    }
}
