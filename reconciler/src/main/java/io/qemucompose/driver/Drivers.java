package io.qemucompose.driver;

import io.qemucompose.driver.cloudinit.SeedImage;
import io.qemucompose.driver.cloudinit.SeedRenderer;
import io.qemucompose.driver.image.ImageCache;
import io.qemucompose.driver.image.ImagePuller;
import io.qemucompose.driver.image.QemuImg;
import io.qemucompose.driver.kvm.Accelerator;
import io.qemucompose.driver.kvm.KvmProbe;
import io.qemucompose.driver.net.PortLeases;
import io.qemucompose.driver.network.CapNetAdmin;
import io.qemucompose.driver.network.DnsmasqUnit;
import io.qemucompose.driver.network.AbsentNamespace;
import io.qemucompose.driver.network.HostNetworkDriver;
import io.qemucompose.driver.network.NetworkMode;
import io.qemucompose.driver.network.ProjectNamespace;
import io.qemucompose.driver.network.UsedNetwork;
import io.qemucompose.driver.systemd.JobResult;
import io.qemucompose.driver.systemd.UnitStatus;
import io.qemucompose.driver.network.NetworkDriver;
import io.qemucompose.driver.network.SubnetRegistry;
import io.qemucompose.driver.systemd.Journald;
import io.qemucompose.driver.systemd.SystemdUserManager;
import io.qemucompose.driver.systemd.UnitManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Everything the reconciler touches outside the JVM, created once per command. The systemd
 * connection and the accelerator probe are made only when first needed, so {@code plan} on a
 * project without running VMs stays cheap.
 */
public final class Drivers implements AutoCloseable {

    private final Map<String, String> environment;
    private final ImageCache images;
    private final QemuImg qemuImg;
    private final PortLeases portLeases;
    private final SeedRenderer seedRenderer = new SeedRenderer();
    private final SeedImage seedImage = new SeedImage();
    private final io.qemucompose.driver.cloudinit.KeyDisk keyDisk = new io.qemucompose.driver.cloudinit.KeyDisk();
    private final Supplier<? extends UnitManager> systemdFactory;
    private final Supplier<Accelerator> acceleratorFactory;
    private UnitManager systemd;
    private final Supplier<? extends NetworkDriver> networkFactory;
    private final SubnetRegistry subnets;
    private NetworkDriver network;
    private NetworkMode networkMode;
    private Accelerator accelerator;
    private Journald journald = Journald.host();

    public Drivers(Map<String, String> environment, ImageCache images, QemuImg qemuImg, PortLeases portLeases,
            Supplier<? extends UnitManager> systemd, Supplier<Accelerator> accelerator) {
        this(environment, images, qemuImg, portLeases, systemd, accelerator, HostNetworkDriver::new);
    }

    public Drivers(Map<String, String> environment, ImageCache images, QemuImg qemuImg, PortLeases portLeases,
            Supplier<? extends UnitManager> systemd, Supplier<Accelerator> accelerator,
            Supplier<? extends NetworkDriver> network) {
        this.networkFactory = network;
        this.subnets = new SubnetRegistry(portLeases.registryDir());
        this.environment = Map.copyOf(environment);
        this.images = images;
        this.qemuImg = qemuImg;
        this.portLeases = portLeases;
        this.systemdFactory = systemd;
        this.acceleratorFactory = accelerator;
    }

    /**
     * The real drivers for the current user, configured from the given environment only (not the
     * process's), so that in-process callers such as tests and the daemon can point the image
     * cache, the port registry and the systemd bus elsewhere.
     */
    public static Drivers forUser(Map<String, String> environment) {
        Path home = Path.of(environment.getOrDefault("HOME", System.getProperty("user.home")));
        return new Drivers(environment, new ImageCache(imageCacheDir(environment, home)), new QemuImg(),
                new PortLeases(PortLeases.defaultRegistryDir(environment, home)),
                () -> environment.containsKey("DBUS_SESSION_BUS_ADDRESS")
                        ? SystemdUserManager.connect(environment.get("DBUS_SESSION_BUS_ADDRESS"))
                        : SystemdUserManager.connect(),
                () -> acceleratorFrom(environment));
    }

    /** {@code $XDG_DATA_HOME/qemu-compose/images}, default {@code ~/.local/share/qemu-compose/images}. */
    public static Path imageCacheDir(Map<String, String> environment, Path home) {
        String xdg = environment.get("XDG_DATA_HOME");
        Path data = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg) : home.resolve(".local").resolve("share");
        return data.resolve("qemu-compose").resolve("images");
    }

    private static Accelerator acceleratorFrom(Map<String, String> environment) {
        String forced = environment.getOrDefault("QEMU_COMPOSE_ACCEL", "").trim().toLowerCase(java.util.Locale.ROOT);
        return switch (forced) {
            case "tcg" -> Accelerator.TCG;
            case "kvm" -> Accelerator.KVM;
            default -> KvmProbe.defaults().choose();
        };
    }

    public Map<String, String> environment() {
        return environment;
    }

    /** The journald VM units copy QEMU's output and the serial console to, if any (see {@link Journald}). */
    public Optional<Journald> journalForwarding() {
        return journald.forwardingWanted(environment) ? Optional.of(journald) : Optional.empty();
    }

    /** Another journald than the host's, for tests: the socket decides, as on a host. */
    public Drivers journald(Journald other) {
        this.journald = other;
        return this;
    }

    public ImageCache images() {
        return images;
    }

    public ImagePuller puller() {
        return new ImagePuller(images);
    }

    public QemuImg qemuImg() {
        return qemuImg;
    }

    public PortLeases portLeases() {
        return portLeases;
    }

    public SeedRenderer seedRenderer() {
        return seedRenderer;
    }

    public SeedImage seedImage() {
        return seedImage;
    }

    public io.qemucompose.driver.cloudinit.KeyDisk keyDisk() {
        return keyDisk;
    }

    /**
     * The QEMU binary as an absolute path: systemd's ExecStart takes no bare command names, and the
     * unit's PATH is the manager's, not the user's. Looked up in the environment's PATH.
     */
    public String qemuBinary() {
        String binary = environment.getOrDefault("QEMU_COMPOSE_QEMU", "qemu-system-x86_64");
        if (binary.contains("/")) {
            return Path.of(binary).toAbsolutePath().toString();
        }
        String path = environment.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, binary);
                if (java.nio.file.Files.isExecutable(candidate)) {
                    return candidate.toAbsolutePath().toString();
                }
            }
        }
        throw new io.qemucompose.driver.DependencyMissingException(binary, "qemu-system-x86");
    }

    /**
     * The emulator for a guest architecture: the host's own as {@link #qemuBinary()}, arm64 as
     * {@code QEMU_COMPOSE_QEMU_AARCH64} or {@code qemu-system-aarch64} (Debian's qemu-system-arm).
     */
    public String qemuBinary(io.qemucompose.spec.GuestArch arch) {
        if (arch == io.qemucompose.spec.GuestArch.X86_64) {
            return qemuBinary();
        }
        String binary = environment.getOrDefault("QEMU_COMPOSE_QEMU_AARCH64", arch.qemuBinary());
        return onPath(binary).orElseThrow(() -> new DependencyMissingException(binary, "qemu-system-arm"));
    }

    private java.util.Optional<String> onPath(String binary) {
        if (binary.contains("/")) {
            return java.util.Optional.of(Path.of(binary).toAbsolutePath().toString());
        }
        for (String dir : environment.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && java.nio.file.Files.isExecutable(Path.of(dir, binary))) {
                return java.util.Optional.of(Path.of(dir, binary).toAbsolutePath().toString());
            }
        }
        return java.util.Optional.empty();
    }

    /** The accelerator for a guest of this architecture (KVM is probed only for the host's own). */
    public Accelerator accelerator(io.qemucompose.spec.GuestArch guest) {
        return Accelerator.forGuest(guest, io.qemucompose.spec.GuestArch.host(), this::accelerator);
    }

    /** A profile's firmware file on this host, or the Debian package that installs it. */
    public Path firmware(io.qemucompose.driver.qemu.Firmware firmware) {
        return firmware.locate().orElseThrow(() -> new DependencyMissingException(
                "firmware " + firmware.candidates().getFirst(), firmware.debianPackage()));
    }

    /** The empty UEFI variable store a profile's firmware copies for each VM, or the Debian package that installs it. */
    public Path firmwareVariableTemplate(io.qemucompose.driver.qemu.Firmware firmware) {
        return firmware.locateVariableTemplate(java.nio.file.Files::isRegularFile).orElseThrow(() ->
                new DependencyMissingException("UEFI variable store " + firmware.variableTemplates().getFirst(),
                        firmware.debianPackage()));
    }

    /** Bridges and TAPs, in the network namespace this process runs in. */
    public synchronized NetworkDriver network() {
        if (network == null) {
            network = networkFactory.get();
        }
        return network;
    }

    /** The machine-wide subnet registry, beside the port registry. */
    public SubnetRegistry subnets() {
        return subnets;
    }

    /** Whether this process may create bridges and TAPs (CAP_NET_ADMIN in its effective set). */
    public boolean netAdmin() {
        return CapNetAdmin.held();
    }

    /**
     * Where bridge networks live for this process ({@link NetworkMode}); found out once, when a
     * project with networks first asks (the rootless check makes a user namespace for real).
     */
    public synchronized NetworkMode networkMode() {
        if (networkMode == null) {
            networkMode = NetworkMode.detect(environment, netAdmin(), () -> NetworkMode.canMakeUserNamespaces(environment),
                    Path.of("/dev/net/tun"), program -> NetworkMode.find(environment, program).isPresent());
        }
        return networkMode;
    }

    /**
     * The bridges and TAPs of {@code project}'s networks: {@link #network()} in host mode; in rootless
     * mode {@code ip} entering the project's namespace, or nothing at all while its holder unit does
     * not run ({@link AbsentNamespace}).
     */
    public NetworkDriver network(String project) {
        if (!networkMode().rootless()) {
            return network();
        }
        return projectNamespace(project).<NetworkDriver>map(ns -> {
            List<String> argv = ns.enter(List.of(tool("ip", "iproute2")));
            return new HostNetworkDriver(new ExternalCommand(argv.getFirst(), "util-linux"), argv.subList(1, argv.size()));
        }).orElse(AbsentNamespace.INSTANCE);
    }

    /**
     * The addresses and routes a new bridge subnet must not shadow: the host's (read without
     * privilege) in rootless mode too, so a VM's subnet never hides a host route.
     */
    public List<UsedNetwork> hostNetworks() {
        return networkMode().rootless() ? new HostNetworkDriver().usedNetworks() : network().usedNetworks();
    }

    /** The project's running namespace (rootless mode), once its holder has made it. */
    public Optional<ProjectNamespace> projectNamespace(String project) {
        UnitStatus holder = systemd().unit(ProjectNamespace.holderUnitName(project));
        if (!holder.isActive() || holder.mainPid() <= 1 || !ProjectNamespace.madeBy(holder.mainPid())) {
            return Optional.empty();
        }
        return Optional.of(new ProjectNamespace(holder.mainPid(), tool("nsenter", "util-linux")));
    }

    /** Starts the project's namespace holder unless it runs, and waits until the namespace exists. */
    public ProjectNamespace ensureProjectNamespace(String project) {
        Optional<ProjectNamespace> running = projectNamespace(project);
        if (running.isPresent()) {
            return running.get();
        }
        String unit = ProjectNamespace.holderUnitName(project);
        UnitStatus status = systemd().unit(unit);
        if (status.isFailed()) {
            systemd().resetFailed(unit);
        }
        if (status.isStopped()) {
            JobResult job = systemd().startTransientUnit(ProjectNamespace.holderUnit(project, tool("unshare", "util-linux")));
            if (!job.done()) {
                throw new IllegalStateException("systemd could not start " + unit + ": job " + job.result());
            }
        }
        // systemd knows the PID at the fork; the namespaces exist once unshare(2) has run in it, which
        // sends no event: look every 10 ms (it takes a few)
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            running = projectNamespace(project);
            if (running.isPresent()) {
                return running.get();
            }
            if (systemd().unit(unit).isStopped()) {
                throw new IllegalStateException(unit + " ended right after it started: unprivileged user namespaces"
                        + " may be off here (see qemu-compose doctor)");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + unit, e);
            }
        }
        throw new IllegalStateException(unit + " did not make the project's namespace within 15 s");
    }

    /** Stops the project's namespace holder (with it go its bridges, TAPs and everything still in it). */
    public void stopProjectNamespace(String project) {
        String unit = ProjectNamespace.holderUnitName(project);
        UnitStatus status = systemd().unit(unit);
        if (!status.isStopped()) {
            systemd().stopUnit(unit);
        }
        if (systemd().unit(unit).isFailed()) {
            systemd().resetFailed(unit);
        }
    }

    /** The absolute path of a host program (systemd looks nothing up on PATH for transient units). */
    public String tool(String program, String debianPackage) {
        return NetworkMode.find(environment, program).map(Path::toString)
                .orElseThrow(() -> new DependencyMissingException(program, debianPackage));
    }

    /** The absolute path of dnsmasq (QEMU_COMPOSE_DNSMASQ, PATH, the sbin folders). */
    public String dnsmasqBinary() {
        return DnsmasqUnit.binary(environment);
    }

    public synchronized UnitManager systemd() {
        if (systemd == null) {
            systemd = systemdFactory.get();
        }
        return systemd;
    }

    public synchronized Accelerator accelerator() {
        if (accelerator == null) {
            accelerator = acceleratorFactory.get();
        }
        return accelerator;
    }

    @Override
    public synchronized void close() {
        if (systemd != null) {
            systemd.close();
            systemd = null;
        }
    }
}
