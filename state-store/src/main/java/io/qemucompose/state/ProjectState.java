package io.qemucompose.state;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What qemu-compose remembers about a project because it cannot be observed: leased SSH ports,
 * the spec hash and cloud-init instance-id last applied, allocated subnets, volume metadata.
 * Everything else (disks, units, sockets) is observed, never recorded here.
 *
 * <p>Immutable; the {@code with…} methods return a changed copy, for use inside
 * {@link StateStore#update}. Maps are sorted so that the file diffs cleanly.
 */
public record ProjectState(int schemaVersion, Map<String, VmRecord> vms, Map<String, NetworkRecord> networks,
                           Map<String, VolumeRecord> volumes) {

    /** Bump it with every change of shape, and add the step that migrates to it in {@link StateMigrations}. */
    public static final int CURRENT_SCHEMA = 2;

    public ProjectState {
        vms = vms == null ? Map.of() : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(vms));
        networks = networks == null ? Map.of() : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(networks));
        volumes = volumes == null ? Map.of() : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(volumes));
    }

    public static ProjectState empty() {
        return new ProjectState(CURRENT_SCHEMA, Map.of(), Map.of(), Map.of());
    }

    public Optional<VmRecord> vm(String name) {
        return Optional.ofNullable(vms.get(name));
    }

    public ProjectState withVm(String name, VmRecord vm) {
        var copy = new TreeMap<>(vms);
        copy.put(name, vm);
        return new ProjectState(schemaVersion, copy, networks, volumes);
    }

    public ProjectState withoutVm(String name) {
        var copy = new TreeMap<>(vms);
        copy.remove(name);
        return new ProjectState(schemaVersion, copy, networks, volumes);
    }

    public Optional<NetworkRecord> network(String name) {
        return Optional.ofNullable(networks.get(name));
    }

    public ProjectState withNetwork(String name, NetworkRecord network) {
        var copy = new TreeMap<>(networks);
        copy.put(name, network);
        return new ProjectState(schemaVersion, vms, copy, volumes);
    }

    public ProjectState withoutNetwork(String name) {
        var copy = new TreeMap<>(networks);
        copy.remove(name);
        return new ProjectState(schemaVersion, vms, copy, volumes);
    }

    public Optional<VolumeRecord> volume(String name) {
        return Optional.ofNullable(volumes.get(name));
    }

    public ProjectState withVolume(String name, VolumeRecord volume) {
        var copy = new TreeMap<>(volumes);
        copy.put(name, volume);
        return new ProjectState(schemaVersion, vms, networks, copy);
    }

    public ProjectState withoutVolume(String name) {
        var copy = new TreeMap<>(volumes);
        copy.remove(name);
        return new ProjectState(schemaVersion, vms, networks, copy);
    }

    /**
     * One VM's memory. Fields are null until first set.
     *
     * @param sshPort         the host port forwarded to the guest's 22, leased once and kept across restarts
     * @param appliedSpecHash hash of the spec fields the running instance was started with
     * @param instanceId      cloud-init instance-id of the seed last written ("qc-" + user-data hash)
     * @param baseImage       absolute path of the base image the overlay was created on
     * @param macAddress      the guest NIC's MAC, stable across restarts
     * @param createdAt       when the instance (overlay) was first created
     */
    /**
     * @param applied the VM's spec fields as they were when its unit was last started (field name →
     *     value, as the plan shows them), so a later plan can say {@code memory: 1024 MB -> 2048 MB}
     */
    /**
     * @param stoppedByUser the user asked for this VM to be stopped ({@code stop}); the watcher
     *     leaves it down whatever its restart policy, until {@code up}/{@code apply} starts it again
     */
    public record VmRecord(Integer sshPort, String appliedSpecHash, String instanceId, String baseImage,
                           String macAddress, Instant createdAt, Map<String, String> applied, boolean stoppedByUser) {

        public VmRecord {
            applied = applied == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(applied));
        }

        public VmRecord(Integer sshPort, String appliedSpecHash, String instanceId, String baseImage,
                        String macAddress, Instant createdAt, Map<String, String> applied) {
            this(sshPort, appliedSpecHash, instanceId, baseImage, macAddress, createdAt, applied, false);
        }

        public VmRecord withStoppedByUser(boolean stopped) {
            return new VmRecord(sshPort, appliedSpecHash, instanceId, baseImage, macAddress, createdAt, applied, stopped);
        }

        public static VmRecord created(Instant at) {
            return new VmRecord(null, null, null, null, null, at, Map.of());
        }

        public VmRecord withSshPort(Integer port) {
            return new VmRecord(port, appliedSpecHash, instanceId, baseImage, macAddress, createdAt, applied, stoppedByUser);
        }

        public VmRecord withAppliedSpecHash(String hash) {
            return new VmRecord(sshPort, hash, instanceId, baseImage, macAddress, createdAt, applied, stoppedByUser);
        }

        public VmRecord withInstanceId(String id) {
            return new VmRecord(sshPort, appliedSpecHash, id, baseImage, macAddress, createdAt, applied, stoppedByUser);
        }

        public VmRecord withBaseImage(String path) {
            return new VmRecord(sshPort, appliedSpecHash, instanceId, path, macAddress, createdAt, applied, stoppedByUser);
        }

        public VmRecord withMacAddress(String mac) {
            return new VmRecord(sshPort, appliedSpecHash, instanceId, baseImage, mac, createdAt, applied, stoppedByUser);
        }

        public VmRecord withApplied(Map<String, String> fields) {
            return new VmRecord(sshPort, appliedSpecHash, instanceId, baseImage, macAddress, createdAt, fields, stoppedByUser);
        }
    }

    /** A network's allocated subnet (CIDR, e.g. {@code 172.16.3.0/24}) and bridge name. */
    public record NetworkRecord(String subnet, String bridge, Instant createdAt) {
    }

    /** A named volume's disk and size. */
    public record VolumeRecord(String disk, long sizeBytes, Instant createdAt) {
    }
}
