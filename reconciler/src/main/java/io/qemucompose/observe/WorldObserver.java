package io.qemucompose.observe;

import io.qemucompose.driver.Drivers;
import io.qemucompose.driver.image.ImageCache;
import io.qemucompose.driver.network.Ipv4Cidr;
import io.qemucompose.driver.network.ProjectNetworks;
import io.qemucompose.driver.systemd.UnitStatus;
import io.qemucompose.driver.volume.VolumeImages;
import io.qemucompose.driver.volume.VolumeStore;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.VmSpec;
import io.qemucompose.state.NetworkAllocations;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.ProjectState;
import io.qemucompose.state.StateStore;
import java.nio.file.Files;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one reader of the world: instance folders under {@code .qemu-compose/}, what
 * {@code state.json} recorded, unit states from the service manager (one ListUnitsByPatterns
 * call for the whole project), the image cache and volume disks. The planner and {@code ps} /
 * {@code inspect} see the world through it, so a new kind of resource is taught to it once.
 * Nothing here changes anything.
 */
public final class WorldObserver {

    private final Drivers drivers;

    public WorldObserver(Drivers drivers) {
        this.drivers = drivers;
    }

    /**
     * The raw facts about a project's instances.
     *
     * @param names VMs of the file first (in file order), then recorded or on-disk instances
     * @param units each VM's unit, by VM name (absent: not loaded); empty when the service
     *     manager could not be asked and the caller tolerates that
     */
    public record Instances(ProjectLayout layout, ProjectState state, Set<String> names,
            Optional<Map<String, UnitStatus>> units) {
        public Instances {
            names = Collections.unmodifiableSet(new LinkedHashSet<>(names));
            units = units.map(Map::copyOf);
        }

        public Optional<UnitStatus> unit(String vm) {
            return units.map(m -> m.get(vm));
        }
    }

    /**
     * @param tolerateNoManager return {@code units} empty instead of failing when systemd cannot
     *     be reached ({@code ps} shows "unknown"; a plan must fail instead)
     */
    public Instances instances(ComposeProject project, boolean tolerateNoManager) {
        ProjectLayout layout = new ProjectLayout(project.projectDir());
        ProjectState state = new StateStore(layout).read();
        Set<String> names = new LinkedHashSet<>(project.vms().keySet());
        names.addAll(state.vms().keySet());
        names.addAll(layout.instanceNames());
        Optional<Map<String, UnitStatus>> units;
        try {
            units = Optional.of(unitsByVm(project.name(), names));
        } catch (RuntimeException e) {
            if (!tolerateNoManager) {
                throw e;
            }
            units = Optional.empty();
        }
        return new Instances(layout, state, names, units);
    }

    public ObservedWorld observe(ComposeProject project) {
        Instances in = instances(project, false);
        ProjectLayout layout = in.layout();
        Map<String, ObservedVm> vms = new LinkedHashMap<>();
        for (String name : in.names()) {
            Optional<ProjectState.VmRecord> record = in.state().vm(name);
            vms.put(name, new ObservedVm(name,
                    Files.isRegularFile(layout.overlayDisk(name)),
                    Files.isRegularFile(layout.seedIso(name)),
                    in.unit(name).map(u -> UnitState.fromSystemd(u.activeState().toString().toLowerCase(java.util.Locale.ROOT)))
                            .orElse(UnitState.INACTIVE),
                    record.map(ProjectState.VmRecord::applied).orElse(Map.of()),
                    record.map(ProjectState.VmRecord::sshPort),
                    Files.isRegularFile(layout.savedState(name))));
        }
        Set<String> cached = new HashSet<>();
        ImageCache images = drivers.images();
        for (VmSpec vm : project.vms().values()) {
            String location = vm.image().location().toString();
            if (!vm.image().isLocal() && images.resolve(location, project.projectDir()).present()) {
                cached.add(location);
            }
        }
        VolumeStore volumes = new VolumeStore(layout, new VolumeImages(drivers.qemuImg()));
        Map<String, Long> volumeSizes = new HashMap<>();
        for (String volume : project.volumes().keySet()) {
            volumes.observedSize(volume).ifPresent(size -> volumeSizes.put(volume, size));
        }
        Map<String, java.nio.file.Path> foreign = new LinkedHashMap<>();
        for (String name : in.names()) {
            if (in.unit(name).filter(u -> !u.isStopped()).isPresent()) {
                UnitOwners.otherOwner(drivers.systemd(), ProjectLayout.vmUnit(project.name(), name), project.projectDir())
                        .ifPresent(owner -> foreign.put(name, owner));
            }
        }
        Map<String, ObservedNetwork> networks = networks(project, layout);
        // the mode only matters (and is only found out: it tries a user namespace) with networks
        io.qemucompose.driver.network.NetworkMode mode = networks.isEmpty() ? null : drivers.networkMode();
        boolean canManage = mode == null ? drivers.netAdmin() : mode.available();
        return new ObservedWorld(vms, cached, Files.isRegularFile(layout.sshPrivateKey()), volumeSizes,
                networks, canManage, foreign, mode == null || mode.available() ? "" : mode.reason());
    }

    /**
     * Every network of the file or on record: its allocation, whether its bridge is up with the
     * gateway address, its dnsmasq unit, and whether dnsmasq's config is the one the file asks for.
     * A project without networks asks neither {@code ip} nor systemd anything for them.
     */
    public Map<String, ObservedNetwork> networks(ComposeProject project, ProjectLayout layout) {
        NetworkAllocations.File recorded = new NetworkAllocations(layout).read();
        Set<String> names = new LinkedHashSet<>(project.networks().keySet());
        names.addAll(recorded.networks().keySet());
        Map<String, ObservedNetwork> out = new LinkedHashMap<>();
        if (names.isEmpty()) {
            return out;
        }
        boolean rootless = drivers.networkMode().rootless();
        io.qemucompose.driver.network.NetworkDriver bridges = drivers.network(project.name());
        Map<String, UnitState> units = new HashMap<>();
        String prefix = ProjectLayout.withoutSuffix(ProjectLayout.dnsmasqUnit(project.name(), ""));
        for (UnitStatus u : drivers.systemd().listUnitStates(prefix)) {
            units.put(u.name(), UnitState.fromSystemd(u.activeState().toString().toLowerCase(java.util.Locale.ROOT)));
        }
        for (String name : names) {
            Optional<NetworkAllocations.Network> allocation = recorded.network(name);
            boolean bridgeUp = false;
            boolean configCurrent = false;
            if (allocation.isPresent()) {
                Ipv4Cidr subnet = Ipv4Cidr.parse(allocation.get().subnet());
                String gateway = subnet.gatewayCidr();
                bridgeUp = bridges.bridge(allocation.get().bridge())
                        .map(b -> b.up() && b.addresses().contains(gateway)).orElse(false);
                if (project.networks().containsKey(name)) {
                    configCurrent = read(layout.dnsmasqConfig(name))
                            .map(text -> text.equals(ProjectNetworks.dnsmasqConfig(project, name, subnet, rootless)
                                    .render()))
                            .orElse(false);
                }
            }
            out.put(name, new ObservedNetwork(name, allocation, bridgeUp,
                    units.getOrDefault(ProjectLayout.dnsmasqUnit(project.name(), name), UnitState.INACTIVE),
                    configCurrent));
        }
        return out;
    }

    private static Optional<String> read(java.nio.file.Path file) {
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    private Map<String, UnitStatus> unitsByVm(String project, Set<String> vmNames) {
        Map<String, String> unitToVm = new HashMap<>();
        for (String vm : vmNames) {
            unitToVm.put(ProjectLayout.vmUnit(project, vm), vm);
        }
        Map<String, UnitStatus> out = new HashMap<>();
        for (UnitStatus status : drivers.systemd().listUnitStates(ProjectLayout.unitPrefix(project))) {
            String vm = unitToVm.get(status.name());
            if (vm != null) {
                out.put(vm, status);
            }
        }
        return out;
    }
}
