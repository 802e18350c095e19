package io.qemucompose.driver.network;

import io.qemucompose.spec.SubnetSpec;
import io.qemucompose.state.AtomicFiles;
import io.qemucompose.state.ProjectLock;
import io.qemucompose.state.ProjectLockedException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * Machine-wide registry of bridge subnets ({@code networks.json} beside the port registry, in
 * {@link io.qemucompose.driver.net.PortLeases#defaultRegistryDir}).
 *
 * <p>Same rules as the port registry: every read-modify-write under an exclusive lock on
 * {@code networks.lock} ({@link ProjectLock}: fcntl across processes, queued within this one), so
 * two projects brought up at once never get the same /24; the file is
 * replaced atomically (temp, fsync, rename, fsync of the folder). A network keeps its subnet across
 * calls until it is released on destroy. Entries of projects whose folder is gone are dropped when
 * a subnet is handed out: their owner can never release them.
 */
public final class SubnetRegistry {

    private static final int FORMAT_VERSION = 1;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The kernel drops the fcntl lock of a killed holder, so waiting longer than this means a live, stuck one. */
    private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(30);

    private final Path registryFile;
    private final Path lockFile;

    public SubnetRegistry(Path registryDir) {
        Path dir = registryDir.toAbsolutePath().normalize();
        this.registryFile = dir.resolve("networks.json");
        this.lockFile = dir.resolve("networks.lock");
    }

    /**
     * The network's subnet: its recorded one while that still fits {@code requested} and overlaps
     * nothing, otherwise a fresh one from {@link SubnetAllocator}.
     *
     * @param used prefixes in use in the namespace, without this network's own bridge
     *             (see {@link UsedNetwork#cidrsExcept})
     */
    public SubnetLease acquire(Path projectDir, String network, SubnetSpec requested, Collection<Ipv4Cidr> used) {
        Path project = projectDir.toAbsolutePath().normalize();
        return locked(() -> {
            List<SubnetLease> leases = new ArrayList<>(read());
            Optional<SubnetLease> existing = leases.stream().filter(l -> is(l, project, network)).findFirst();
            leases.removeIf(l -> is(l, project, network) || !Files.isDirectory(l.projectDir()));
            Ipv4Cidr cidr = SubnetAllocator.allocate("network '" + network + "' of " + project, requested,
                    existing.map(SubnetLease::cidr), used, leases.stream().map(SubnetLease::cidr).toList());
            SubnetLease lease = existing.filter(l -> l.cidr().equals(cidr))
                    .orElseGet(() -> new SubnetLease(project, network, cidr, Instant.now()));
            leases.add(lease);
            write(leases);
            return lease;
        });
    }

    public Optional<SubnetLease> find(Path projectDir, String network) {
        Path project = projectDir.toAbsolutePath().normalize();
        return locked(() -> read().stream().filter(l -> is(l, project, network)).findFirst());
    }

    /** Forgets the network's subnet (on destroy); true if there was one. */
    public boolean release(Path projectDir, String network) {
        Path project = projectDir.toAbsolutePath().normalize();
        return locked(() -> {
            List<SubnetLease> leases = new ArrayList<>(read());
            boolean removed = leases.removeIf(l -> is(l, project, network));
            if (removed) {
                write(leases);
            }
            return removed;
        });
    }

    public List<SubnetLease> all() {
        return locked(this::read);
    }

    public Path registryFile() {
        return registryFile;
    }

    private static boolean is(SubnetLease lease, Path project, String network) {
        return lease.projectDir().equals(project) && lease.network().equals(network);
    }

    private <T> T locked(Supplier<T> action) {
        try (ProjectLock.Held ignored = ProjectLock.acquire(lockFile, LOCK_TIMEOUT)) {
            return action.get();
        } catch (ProjectLockedException | UncheckedIOException e) {
            throw new SubnetException("cannot lock the subnet registry " + lockFile + ": " + e.getMessage(), e);
        }
    }

    private record Entry(String projectDir, String network, String cidr, String leasedAt) {
    }

    private record Registry(int version, List<Entry> networks) {
    }

    private List<SubnetLease> read() {
        if (!Files.exists(registryFile)) {
            return List.of();
        }
        try {
            Registry registry = JSON.readValue(registryFile, Registry.class);
            if (registry.version() != FORMAT_VERSION || registry.networks() == null) {
                throw new SubnetException("subnet registry " + registryFile + " has unknown format version "
                        + registry.version());
            }
            return registry.networks().stream()
                    .map(e -> new SubnetLease(Path.of(e.projectDir()), e.network(), Ipv4Cidr.parse(e.cidr()),
                            Instant.parse(e.leasedAt())))
                    .toList();
        } catch (SubnetException e) {
            throw e;
        } catch (RuntimeException e) { // Jackson's errors, a bad path, CIDR or timestamp
            throw new SubnetException("subnet registry " + registryFile + " is unreadable (" + e.getMessage()
                    + "); remove it to start afresh (running networks keep their bridges)", e);
        }
    }

    private void write(List<SubnetLease> leases) {
        List<Entry> entries = leases.stream()
                .sorted(Comparator.comparing(SubnetLease::cidr))
                .map(l -> new Entry(l.projectDir().toString(), l.network(), l.cidr().toString(), l.leasedAt().toString()))
                .toList();
        try {
            AtomicFiles.write(registryFile, JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(new Registry(FORMAT_VERSION, entries)));
        } catch (UncheckedIOException e) {
            throw new SubnetException("cannot write the subnet registry " + registryFile + ": " + e.getMessage(), e);
        }
    }
}
