package io.qemucompose.driver.net;

import io.qemucompose.state.AtomicFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.IntPredicate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Machine-wide registry of SSH forward ports ({@code ports.json} in the user's state folder).
 *
 * <p>Every read-modify-write happens under an exclusive lock on {@code ports.lock}, so two {@code up}
 * runs in different projects (different processes) never pick the same port. A recorded port is reused
 * across restarts of the same VM; a port is only handed out when it is free in the registry and
 * bindable on 127.0.0.1 right now.
 */
public final class PortLeases {

    public static final int FIRST_PORT = 2222;
    public static final int LAST_PORT = 2222 + 4096;
    private static final int FORMAT_VERSION = 1;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /**
     * A JVM cannot take the same file lock twice (OverlappingFileLockException), so threads of one
     * process queue on this first. Keyed by lock file, shared by every PortLeases instance on purpose.
     */
    private static final Map<Path, ReentrantLock> IN_PROCESS_LOCKS = new ConcurrentHashMap<>();

    private final Path registryDir;
    private final Path registryFile;
    private final Path lockFile;
    private final int firstPort;
    private final int lastPort;
    private final IntPredicate bindable;

    public PortLeases(Path registryDir) {
        this(registryDir, FIRST_PORT, LAST_PORT, PortLeases::bindableOnLoopback);
    }

    public PortLeases(Path registryDir, int firstPort, int lastPort, IntPredicate bindable) {
        if (firstPort < 1 || lastPort > 65535 || firstPort > lastPort) {
            throw new IllegalArgumentException("port range " + firstPort + "-" + lastPort + " is invalid");
        }
        Path dir = registryDir.toAbsolutePath().normalize();
        this.registryDir = dir;
        this.registryFile = dir.resolve("ports.json");
        this.lockFile = dir.resolve("ports.lock");
        this.firstPort = firstPort;
        this.lastPort = lastPort;
        this.bindable = bindable;
    }

    /** The machine-wide folder of this user's registries (ports here, subnets beside them). */
    public Path registryDir() {
        return registryDir;
    }

    /** {@code $XDG_STATE_HOME/qemu-compose}, or {@code ~/.local/state/qemu-compose} when unset or not absolute. */
    public static Path defaultRegistryDir(Map<String, String> environment, Path userHome) {
        String xdg = environment.get("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg) : userHome.resolve(".local/state");
        return base.resolve("qemu-compose");
    }

    /**
     * The VM's port, for a VM about to start: its recorded port when that is still bindable, otherwise
     * (first start, or another program took the port meanwhile) the lowest port that is free in the
     * registry and bindable. Do not call it for a running VM: its own QEMU holds the port, use {@link #find}.
     */
    public PortLease acquire(Path projectDir, String vm) {
        Path project = projectDir.toAbsolutePath().normalize();
        return locked(() -> {
            List<PortLease> leases = new ArrayList<>(read());
            Optional<PortLease> existing = leases.stream().filter(l -> l.projectDir().equals(project) && l.vm().equals(vm)).findFirst();
            if (existing.isPresent() && bindable.test(existing.get().port())) {
                return existing.get();
            }
            existing.ifPresent(leases::remove);
            Optional<PortLease> lease = leaseFree(leases, existing, project, vm);
            if (lease.isEmpty()) {
                // Only when the range is full are leases of projects whose folder is missing taken
                // back: a folder can be missing for a while (an unmounted disk, a checkout being
                // moved) and its VMs must find their port again when it is back.
                if (leases.removeIf(l -> !Files.isDirectory(l.projectDir()))) {
                    lease = leaseFree(leases, existing, project, vm);
                }
            }
            if (lease.isPresent()) {
                return lease.get();
            }
            throw new PortLeaseException("no free port in " + firstPort + "-" + lastPort + " for VM " + vm
                    + " (" + leases.size() + " leased in " + registryFile + ")");
        });
    }

    /**
     * Enters a VM's fixed {@code ssh.port} in the registry, so that {@link #acquire} never hands it
     * to another VM; refused when another VM, of this project or another, holds the port. A fixed
     * port may lie outside the leasing range: it is recorded all the same.
     */
    public PortLease reserve(Path projectDir, String vm, int port) {
        Path project = projectDir.toAbsolutePath().normalize();
        return locked(() -> {
            List<PortLease> leases = new ArrayList<>(read());
            Optional<PortLease> holder = leases.stream()
                    .filter(l -> l.port() == port && !(l.projectDir().equals(project) && l.vm().equals(vm)))
                    .findFirst();
            if (holder.isPresent()) {
                PortLease h = holder.get();
                throw new PortLeaseException("ssh.port " + port + " of VM " + vm + " is already leased to VM " + h.vm()
                        + (h.projectDir().equals(project) ? " of this project" : " of the project in " + h.projectDir())
                        + " (" + registryFile + "); choose another ssh.port, or destroy that VM");
            }
            Optional<PortLease> own = leases.stream()
                    .filter(l -> l.projectDir().equals(project) && l.vm().equals(vm)).findFirst();
            if (own.isPresent() && own.get().port() == port) {
                return own.get();
            }
            own.ifPresent(leases::remove);
            PortLease lease = new PortLease(project, vm, port, Instant.now());
            leases.add(lease);
            write(leases);
            return lease;
        });
    }

    /** Whether a program could bind {@code port} on loopback right now (the check {@link #acquire} makes). */
    public boolean bindableNow(int port) {
        return bindable.test(port);
    }

    /** The lowest port neither leased nor busy, leased to {@code vm} and written; empty when there is none. */
    private Optional<PortLease> leaseFree(List<PortLease> leases, Optional<PortLease> previous, Path project, String vm) {
        Set<Integer> taken = new HashSet<>();
        leases.forEach(l -> taken.add(l.port()));
        previous.ifPresent(l -> taken.add(l.port()));
        for (int port = firstPort; port <= lastPort; port++) {
            if (!taken.contains(port) && bindable.test(port)) {
                var lease = new PortLease(project, vm, port, Instant.now());
                leases.add(lease);
                write(leases);
                return Optional.of(lease);
            }
        }
        return Optional.empty();
    }

    public Optional<PortLease> find(Path projectDir, String vm) {
        Path project = projectDir.toAbsolutePath().normalize();
        return locked(() -> read().stream().filter(l -> l.projectDir().equals(project) && l.vm().equals(vm)).findFirst());
    }

    /** Forgets the VM's port (on destroy); true if there was one. */
    public boolean release(Path projectDir, String vm) {
        Path project = projectDir.toAbsolutePath().normalize();
        return locked(() -> {
            List<PortLease> leases = new ArrayList<>(read());
            boolean removed = leases.removeIf(l -> l.projectDir().equals(project) && l.vm().equals(vm));
            if (removed) {
                write(leases);
            }
            return removed;
        });
    }

    public List<PortLease> all() {
        return locked(this::read);
    }

    public Path registryFile() {
        return registryFile;
    }

    /** True when nothing listens on 127.0.0.1:port (nor on the wildcard address, which would conflict too). */
    public static boolean bindableOnLoopback(int port) {
        try (var socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private <T> T locked(Supplier<T> action) {
        ReentrantLock inProcess = IN_PROCESS_LOCKS.computeIfAbsent(lockFile, f -> new ReentrantLock());
        inProcess.lock();
        try {
            Files.createDirectories(lockFile.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                return action.get();
            }
        } catch (IOException e) {
            throw new PortLeaseException("cannot lock the port registry " + lockFile + ": " + e.getMessage(), e);
        } finally {
            inProcess.unlock();
        }
    }

    private record Entry(String projectDir, String vm, int port, String leasedAt) {
    }

    private record Registry(int version, List<Entry> leases) {
    }

    private List<PortLease> read() {
        if (!Files.exists(registryFile)) {
            return List.of();
        }
        try {
            Registry registry = JSON.readValue(registryFile, Registry.class);
            if (registry.version() != FORMAT_VERSION || registry.leases() == null) {
                throw new PortLeaseException("port registry " + registryFile + " has unknown format version "
                        + registry.version());
            }
            return registry.leases().stream()
                    .map(e -> new PortLease(Path.of(e.projectDir()), e.vm(), e.port(), Instant.parse(e.leasedAt())))
                    .toList();
        } catch (PortLeaseException e) {
            throw e;
        } catch (RuntimeException e) { // Jackson's errors, a bad path or timestamp
            throw new PortLeaseException("port registry " + registryFile + " is unreadable (" + e.getMessage()
                    + "); remove it to start afresh", e);
        }
    }

    /** Temp file + fsync + rename: a crash leaves the old registry or the new one, never half of one. */
    private void write(List<PortLease> leases) {
        List<Entry> entries = leases.stream()
                .sorted(Comparator.comparingInt(PortLease::port))
                .map(l -> new Entry(l.projectDir().toString(), l.vm(), l.port(), l.leasedAt().toString()))
                .toList();
        Path temp = registryFile.resolveSibling("ports.json.tmp");
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(java.nio.ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter()
                        .writeValueAsBytes(new Registry(FORMAT_VERSION, entries))));
                out.force(true);
            }
            // fsyncs the file and, after the rename, the folder: else a crash can lose the new name
            AtomicFiles.moveIntoPlace(temp, registryFile);
        } catch (IOException e) {
            throw new PortLeaseException("cannot write the port registry " + registryFile + ": " + e.getMessage(), e);
        }
    }
}
