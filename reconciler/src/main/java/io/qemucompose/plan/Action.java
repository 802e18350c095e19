package io.qemucompose.plan;

import io.qemucompose.plan.ActionId.Step;
import io.qemucompose.spec.ByteSize;
import java.time.Duration;
import java.util.List;

/**
 * One small, idempotent step of a plan. Each checks the world before it acts, so a plan that was
 * cut short (a crash, a kill -9) is finished safely by the next run.
 */
public sealed interface Action {

    /** Unique within a plan; other actions name it in {@link #dependsOn()}. */
    ActionId id();

    /**
     * Actions that must succeed first. Each is in the plan or was declared already done by the
     * planner ({@link Plan#satisfied()}); anything else is a planner bug and is refused.
     */
    List<ActionId> dependsOn();

    /** One line for people: what and why. */
    String describe();

    /** The resource this action works on. */
    default Address target() {
        return id().target();
    }

    /** The VM this action belongs to, or empty for other resources. */
    default String vm() {
        return target().kind() == Address.Kind.VM ? target().name() : "";
    }

    record EnsureSshKey() implements Action {
        public ActionId id() { return ActionId.of(Step.SSH_KEY, Address.project()); }
        public List<ActionId> dependsOn() { return List.of(); }
        public String describe() { return "generate the project SSH key"; }
    }

    /** {@code refresh}: download again although cached ({@code --pull always}). */
    record PullImage(String location, boolean refresh) implements Action {
        public PullImage(String location) {
            this(location, false);
        }
        public ActionId id() { return ActionId.of(Step.PULL, Address.image(location)); }
        public List<ActionId> dependsOn() { return List.of(); }
        public String describe() { return "pull base image " + location + (refresh ? " again (--pull always)" : ""); }
    }

    record LeaseSshPort(String vm) implements Action {
        public ActionId id() { return ActionId.vm(Step.LEASE_PORT, vm); }
        public List<ActionId> dependsOn() { return List.of(); }
        public String describe() { return "lease a host port for SSH to " + vm; }
    }

    record StopVm(String vm, boolean force, Duration timeout) implements Action {
        public ActionId id() { return ActionId.vm(Step.STOP, vm); }
        public List<ActionId> dependsOn() { return List.of(); }
        public String describe() {
            return force ? "stop " + vm + " at once (SIGTERM)" : "stop " + vm + " gracefully (up to " + timeout.toSeconds() + " s)";
        }
    }

    record RemoveInstance(String vm, boolean releasePort, List<ActionId> dependsOn) implements Action {
        public ActionId id() { return ActionId.vm(Step.REMOVE, vm); }
        public String describe() { return "remove the instance disk and seed of " + vm; }
    }

    record CreateOverlay(String vm, String imageLocation, List<ActionId> dependsOn) implements Action {
        public ActionId id() { return ActionId.vm(Step.OVERLAY, vm); }
        public String describe() { return "create the copy-on-write disk of " + vm; }
    }

    record ResizeOverlay(String vm, long bytes, List<ActionId> dependsOn) implements Action {
        public ActionId id() { return ActionId.vm(Step.RESIZE, vm); }
        public String describe() { return "grow the disk of " + vm + " to " + new ByteSize(bytes); }
    }

    record WriteSeed(String vm, List<ActionId> dependsOn) implements Action {
        public ActionId id() { return ActionId.vm(Step.SEED, vm); }
        public String describe() { return "write the cloud-init seed of " + vm; }
    }

    record StartVm(String vm, List<ActionId> dependsOn) implements Action {
        public ActionId id() { return ActionId.vm(Step.START, vm); }
        public String describe() { return "start unit of " + vm; }
    }

    /**
     * Saves the running VM's RAM and device state to a file next to its disk (written under a
     * temporary name, renamed once QEMU reports success) and ends its QEMU: the VM is then suspended.
     */
    record SuspendVm(String vm) implements Action {
        public ActionId id() { return ActionId.vm(Step.SUSPEND, vm); }
        public List<ActionId> dependsOn() { return List.of(); }
        public String describe() { return "suspend " + vm + " (save RAM and device state, stop the unit)"; }
    }

    /**
     * Starts the unit of a suspended VM with QEMU waiting for its saved state, loads it, lets the
     * CPUs run and deletes the state. Its id is the VM's start: what waits for the start waits for this.
     */
    record ResumeVm(String vm, List<ActionId> dependsOn) implements Action {
        public ActionId id() { return ActionId.vm(Step.START, vm); }
        public String describe() { return "resume " + vm + " from its saved state"; }
    }

    /** Deletes a saved state that must not be loaded (the machine changed): the VM boots instead. */
    record DropSavedState(String vm) implements Action {
        public ActionId id() { return ActionId.vm(Step.DROP_STATE, vm); }
        public List<ActionId> dependsOn() { return List.of(); }
        public String describe() { return "drop the saved state of " + vm; }
    }

    record RecordApplied(String vm, List<ActionId> dependsOn) implements Action {
        public ActionId id() { return ActionId.vm(Step.RECORD, vm); }
        public String describe() { return "record the settings of " + vm; }
    }

    record AwaitReady(String vm, List<ActionId> dependsOn) implements Action {
        public ActionId id() { return ActionId.vm(Step.READY, vm); }
        public String describe() { return "wait until " + vm + " answers SSH and cloud-init is done"; }
    }

    /** Makes a named volume's disk (qcow2, ext4, no root needed); starting a VM that mounts it waits for it. */
    record CreateVolume(String volume, long bytes) implements Action {
        public ActionId id() { return ActionId.of(Step.ENSURE, Address.volume(volume)); }
        public List<ActionId> dependsOn() { return List.of(); }
        public String describe() { return "create volume " + volume + " (" + new ByteSize(bytes) + ", ext4)"; }
    }

    /** Grows a named volume's disk while the VMs using it are stopped; the guest grows the file system. */
    record GrowVolume(String volume, long fromBytes, long bytes, List<ActionId> dependsOn) implements Action {
        public ActionId id() { return ActionId.of(Step.ENSURE, Address.volume(volume)); }
        public String describe() {
            return "grow volume " + volume + " from " + new ByteSize(fromBytes) + " to " + new ByteSize(bytes);
        }
    }

    /**
     * Makes a network match the file: its subnet allocated (and recorded), its bridge up with the
     * gateway address, its dnsmasq config written and its DHCP/DNS unit running that config.
     * Idempotent: it is also how a deleted bridge or a dead dnsmasq is repaired.
     */
    record EnsureNetwork(String network, List<ActionId> dependsOn) implements Action {
        public ActionId id() { return ActionId.of(Step.ENSURE, Address.network(network)); }
        public String describe() { return "bring up network " + network + " (bridge, DHCP and DNS)"; }
    }

    /** Stops a network's dnsmasq, deletes its bridge and releases its subnet. */
    record RemoveNetwork(String network, List<ActionId> dependsOn) implements Action {
        public ActionId id() { return ActionId.of(Step.REMOVE, Address.network(network)); }
        public String describe() { return "remove network " + network + " (dnsmasq, bridge, subnet)"; }
    }
}
