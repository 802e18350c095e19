package io.qemucompose.apply;

import io.qemucompose.desired.DesiredVm;
import io.qemucompose.driver.network.DnsmasqUnit;
import io.qemucompose.driver.network.GuestAddresses;
import io.qemucompose.driver.network.Ipv4Cidr;
import io.qemucompose.driver.network.NamespaceRelay;
import io.qemucompose.driver.network.NetworkDriver;
import io.qemucompose.driver.network.ProjectNamespace;
import io.qemucompose.driver.qemu.RelayedNetwork;
import io.qemucompose.driver.network.ProjectNetworks;
import io.qemucompose.driver.network.SubnetLease;
import io.qemucompose.driver.network.UsedNetwork;
import io.qemucompose.driver.systemd.UnitStatus;
import io.qemucompose.plan.Action;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.Names;
import io.qemucompose.spec.NetworkSpec;
import io.qemucompose.state.AtomicFiles;
import io.qemucompose.state.NetworkAllocations;
import io.qemucompose.state.ProjectLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Carries out the network actions and a VM's part of its networks (its TAPs). Each step looks
 * first and does only what is missing, so a run cut short (kill -9 between the bridge and
 * dnsmasq) is finished by the next one without creating anything twice.
 */
final class NetworkActions {

    private final ApplyContext ctx;

    NetworkActions(ApplyContext ctx) {
        this.ctx = ctx;
    }

    /** Bridges and TAPs where this project's networks live (host mode, or its own namespace). */
    private NetworkDriver driver() {
        return ctx.drivers().network(ctx.project().name());
    }

    private boolean rootless() {
        return ctx.drivers().networkMode().rootless();
    }

    private NetworkAllocations allocations() {
        return new NetworkAllocations(ctx.layout());
    }

    void ensure(Action.EnsureNetwork a) {
        String name = a.network();
        ComposeProject project = ctx.project();
        NetworkSpec spec = project.networks().get(name);
        if (spec == null) {
            throw new IllegalStateException("network " + name + " is not in the compose file");
        }
        String bridge = Names.bridgeName(project.name(), name);
        Optional<ProjectNamespace> namespace = rootless()
                ? Optional.of(ctx.drivers().ensureProjectNamespace(project.name())) : Optional.empty();
        List<Ipv4Cidr> used = UsedNetwork.cidrsExcept(ctx.drivers().hostNetworks(), bridge);
        SubnetLease lease = ctx.drivers().subnets().acquire(project.projectDir(), name, spec.subnet(), used);
        Ipv4Cidr subnet = lease.cidr();
        // recorded before the bridge exists: a run killed in between finds the same subnet again
        GuestAddresses plan = ProjectNetworks.addresses(project, name, subnet);
        allocations().update(f -> {
            Instant created = f.network(name).map(NetworkAllocations.Network::createdAt).orElse(Instant.now());
            NetworkAllocations.Network n = new NetworkAllocations.Network(spec.subnet().toString(), subnet.toString(),
                    bridge, created, java.util.Map.of());
            for (GuestAddresses.Reservation r : plan.reservations()) {
                n = n.withAddress(r.vm(), r.ip());
            }
            return f.with(name, n);
        });
        boolean created = driver().bridge(bridge).isEmpty();
        driver().ensureBridge(bridge, subnet);
        KillPoints.reached(ctx.drivers().environment(), "network-bridge-up");
        boolean configChanged = writeConfig(name, ProjectNetworks.dnsmasqConfig(project, name, subnet,
                namespace.isPresent()).render());
        String unit = ProjectLayout.dnsmasqUnit(project.name(), name);
        UnitStatus status = ctx.drivers().systemd().unit(unit);
        if (status.isActive() && !configChanged && !created) {
            return;
        }
        if (!status.isStopped()) {
            ctx.drivers().systemd().stopUnit(unit); // a new config, or a bridge made anew under it
        }
        if (ctx.drivers().systemd().unit(unit).isFailed()) {
            ctx.drivers().systemd().resetFailed(unit);
        }
        String dnsmasq = ctx.drivers().dnsmasqBinary();
        var job = ctx.drivers().systemd().startTransientUnit(namespace
                .map(ns -> DnsmasqUnit.inNamespace(project.name(), name, dnsmasq, ctx.layout().dnsmasqConfig(name),
                        dnsmasqLog(name), ns))
                .orElseGet(() -> DnsmasqUnit.of(project.name(), name, dnsmasq, ctx.layout().dnsmasqConfig(name),
                        dnsmasqLog(name))));
        if (!job.done()) {
            throw new IllegalStateException("systemd could not start " + unit + ": job " + job.result()
                    + "; see " + dnsmasqLog(name));
        }
        if (created && namespace.isPresent()) {
            reconnectRunningVms(name, bridge);
        }
        ctx.progress().accept("network " + name + ": bridge " + bridge + " " + subnet + ", DHCP and DNS by "
                + ProjectLayout.withoutSuffix(unit) + (namespace.isPresent() ? " (in the project's own namespace, "
                + ProjectLayout.withoutSuffix(ProjectNamespace.holderUnitName(project.name())) + ")" : ""));
    }

    void remove(Action.RemoveNetwork a) {
        String name = a.network();
        String project = ctx.project().name();
        String unit = ProjectLayout.dnsmasqUnit(project, name);
        UnitStatus status = ctx.drivers().systemd().unit(unit);
        if (!status.isStopped()) {
            ctx.drivers().systemd().stopUnit(unit);
        }
        if (ctx.drivers().systemd().unit(unit).isFailed()) {
            ctx.drivers().systemd().resetFailed(unit);
        }
        String bridge = allocations().read().network(name).map(NetworkAllocations.Network::bridge)
                .orElse(Names.bridgeName(project, name));
        for (NetworkDriver.TapLink tap : driver().tapsOn(bridge)) {
            driver().deleteTap(tap.name());
        }
        driver().deleteBridge(bridge);
        ctx.drivers().subnets().release(ctx.project().projectDir(), name);
        allocations().update(f -> f.without(name));
        ActionRunner.deleteTree(ctx.layout().networkDir(name));
        ctx.progress().accept("network " + name + ": removed bridge " + bridge + " and its dnsmasq");
        if (rootless() && allocations().read().networks().isEmpty()) {
            // the last network gone: the namespace goes too (and whatever was left in it)
            ctx.drivers().stopProjectNamespace(project);
            ctx.progress().accept("network namespace of project " + project + ": removed");
        }
    }

    /**
     * The VM's TAPs, attached to their bridges, before QEMU opens them. In rootless mode the TAPs
     * belong to the namespace's root (the user), and the sockets QEMU binds must not be left from an
     * earlier run (bind(2) refuses a path that exists).
     */
    void attach(DesiredVm vm) {
        List<String> networks = vm.spec().networks();
        if (networks.isEmpty()) {
            return;
        }
        boolean rootless = rootless();
        NetworkDriver driver = rootless ? ctx.drivers().network(ctx.project().name()) : driver();
        for (int i = 0; i < networks.size(); i++) {
            String network = networks.get(i);
            String bridge = allocations().read().network(network).map(NetworkAllocations.Network::bridge)
                    .orElseThrow(() -> new IllegalStateException("network " + network + " of " + vm.name()
                            + " does not exist yet"));
            driver.ensureTap(tapName(vm.name(), i), bridge, rootless ? 0 : uid());
            if (rootless) {
                deleteIfThere(ctx.layout().nicQemuSocket(vm.name(), i));
                deleteIfThere(ctx.layout().nicRelaySocket(vm.name(), i));
            }
        }
    }

    /**
     * Rootless mode, once QEMU runs: a relay unit per bridge NIC joins QEMU's socket to the TAP
     * ({@link NamespaceRelay}); started after QEMU has bound its socket, as a send to a socket that
     * is not there ends socat. A relay that runs already is left alone.
     */
    void relay(DesiredVm vm) {
        List<String> networks = vm.spec().networks();
        if (networks.isEmpty() || !rootless()) {
            return;
        }
        for (int i = 0; i < networks.size(); i++) {
            relay(vm, i);
        }
    }

    /** The relay of the VM's bridge NIC {@code i}, unless it runs. */
    private void relay(DesiredVm vm, int i) {
        String project = ctx.project().name();
        String network = vm.spec().networks().get(i);
        String unit = ProjectLayout.nicRelayUnit(project, vm.name(), i);
        if (ctx.drivers().systemd().unit(unit).isActive()) {
            return;
        }
        ProjectNamespace namespace = ctx.drivers().ensureProjectNamespace(project);
        RelayedNetwork nic = VmLaunch.relayedNic(ctx, vm.name(), i, network);
        awaitSocket(vm.name(), ctx.layout().nicQemuSocket(vm.name(), i));
        if (ctx.drivers().systemd().unit(unit).isFailed()) {
            ctx.drivers().systemd().resetFailed(unit);
        }
        var job = ctx.drivers().systemd().startTransientUnit(NamespaceRelay.unit(unit,
                "qemu-compose NIC " + i + " (network " + network + ") of VM " + vm.name() + " of project " + project,
                ctx.unitName(vm.name()), project, namespace, ctx.drivers().tool("socat", "socat"),
                ctx.drivers().tool("rm", "coreutils"), tapName(vm.name(), i), nic, ctx.layout().nicRelayLog(vm.name(), i)));
        if (!job.done()) {
            throw new IllegalStateException("systemd could not start " + unit + ": job " + job.result()
                    + "; see " + ctx.layout().nicRelayLog(vm.name(), i));
        }
    }

    /**
     * Rootless mode, a bridge made anew (its namespace had ended: the holder died) under VMs that
     * still run: their TAPs on it come back and their relays start again; QEMU's sockets are still
     * bound, so the guests see a cable pulled out and plugged in again.
     */
    private void reconnectRunningVms(String network, String bridge) {
        for (DesiredVm vm : ctx.desired().vms().values()) {
            int index = vm.spec().networks().indexOf(network);
            if (index < 0 || !ctx.drivers().systemd().unit(ctx.unitName(vm.name())).isActive()
                    || !Files.exists(ctx.layout().nicQemuSocket(vm.name(), index))) {
                continue;
            }
            driver().ensureTap(tapName(vm.name(), index), bridge, 0);
            relay(vm, index);
            ctx.progress().accept(vm.name() + ": reconnected to network " + network);
        }
    }

    /** QEMU binds its NIC sockets while it starts, before the guest runs: seconds at most. */
    private void awaitSocket(String vm, Path socket) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (!Files.exists(socket)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(vm + ": QEMU did not bind " + socket + " within 60 s");
            }
            if (ctx.drivers().systemd().unit(ctx.unitName(vm)).isStopped()) {
                throw new IllegalStateException(vm + ": QEMU ended before it bound " + socket
                        + VmReadiness.logTail(ctx, vm));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + socket, e);
            }
        }
    }

    /** Removes the VM's TAPs once QEMU is gone ({@code stop} leaves none behind; its relays stopped with it). */
    void detach(String vm, int nics) {
        NetworkDriver driver = driver();
        for (int i = 0; i < nics; i++) {
            driver.deleteTap(tapName(vm, i));
        }
    }

    private static void deleteIfThere(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
    }

    String tapName(String vm, int index) {
        return Names.tapName(ctx.project().name(), vm, index);
    }

    private Path dnsmasqLog(String network) {
        return ctx.layout().networkDir(network).resolve("dnsmasq.log");
    }

    /** Writes the config if it differs; true when it did. */
    private boolean writeConfig(String network, String text) {
        Path file = ctx.layout().dnsmasqConfig(network);
        try {
            if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
                return false;
            }
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
        return true;
    }

    static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tell this process's uid", e);
        }
    }
}
