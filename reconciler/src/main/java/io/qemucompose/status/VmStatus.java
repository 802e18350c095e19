package io.qemucompose.status;

import io.qemucompose.health.Health;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One row of {@code ps}: a VM's state and the facts shown next to it.
 *
 * @param detail why the state is what it is (e.g. "cloud-init running", "unit failed"), may be empty
 * @param nics the user-mode NIC, then one per bridge network in the VM's {@code networks:} order
 * @param diskBytes the overlay's virtual size, empty when there is no overlay
 * @param unit the systemd unit name without ".service"
 * @param inCompose false for an orphan (an instance whose VM left the compose file)
 * @param health for a running VM with a healthcheck: what one probe of it said now; else empty
 */
public record VmStatus(String name, VmState state, String detail, List<GuestNic> nics, int cpu,
        long memoryMb, OptionalLong diskBytes, String unit, Optional<Integer> sshPort, boolean inCompose,
        Optional<Health> health) {

    public VmStatus {
        nics = List.copyOf(nics);
    }

    /** A VM without a healthcheck. */
    public VmStatus(String name, VmState state, String detail, List<GuestNic> nics, int cpu,
            long memoryMb, OptionalLong diskBytes, String unit, Optional<Integer> sshPort, boolean inCompose) {
        this(name, state, detail, nics, cpu, memoryMb, diskBytes, unit, sshPort, inCompose, Optional.empty());
    }

    /** docker compose's STATUS words: {@code ready (healthy)}, {@code starting (health: starting)}, or the state alone. */
    public String statusLabel() {
        return health.map(h -> state.label() + (h == Health.STARTING ? " (health: starting)" : " (" + h.label() + ")"))
                .orElse(state.label());
    }

    /** The guest's leased address on its first bridge network; empty for user-mode networking only. */
    public Optional<String> ipAddress() {
        return nics.stream().filter(n -> n instanceof GuestNic.Bridge).findFirst().flatMap(GuestNic::address);
    }
}
