package io.qemucompose.state;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Every file name under {@code .qemu-compose/} — defined here and nowhere else.
 *
 * <pre>
 * &lt;project&gt;/.qemu-compose/
 *   state.json  lock  volumes.json  networks.json  watch-status.json  reconciler.log  launched.yaml
 *   ssh/id_ed25519  ssh/id_ed25519.pub  ssh/known_hosts
 *   &lt;vm&gt;/disk.qcow2  cloud-init.iso  console.sock  qmp.sock  qga.sock  console.log  unit.log
 *   volumes/&lt;name&gt;/
 * </pre>
 *
 * The project directory is the compose file's folder, whatever the current directory is.
 * Sockets may live at paths longer than a Unix socket address allows: use
 * {@link #reachableSocket(Path)} to get a path that both QEMU and a client can use.
 */
public final class ProjectLayout {

    public static final String STATE_DIR = ".qemu-compose";

    private static final String UNIT_PREFIX = "qemu-compose-";
    private static final String SERVICE = ".service";

    /** A name that stays one path segment: no '/', no '.' or '..', no leading dot or dash. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    private final Path projectDir;
    private final SocketAlias socketAlias;

    public ProjectLayout(Path projectDir) {
        this(projectDir, SocketAlias.forCurrentUser());
    }

    public ProjectLayout(Path projectDir, SocketAlias socketAlias) {
        this.projectDir = projectDir.toAbsolutePath().normalize();
        this.socketAlias = socketAlias;
    }

    /** Every unit of a project starts with this: {@code qemu-compose-<project>-}. */
    public static String unitPrefix(String project) {
        return UNIT_PREFIX + project + "-";
    }

    /** The unit of a VM: {@code qemu-compose-<project>-<vm>.service}. */
    public static String vmUnit(String project, String vm) {
        return unitPrefix(project) + vm + SERVICE;
    }

    /** The DHCP/DNS server of a network: {@code qemu-compose-dnsmasq-<project>-<network>.service}. */
    public static String dnsmasqUnit(String project, String network) {
        return UNIT_PREFIX + "dnsmasq-" + project + "-" + network + SERVICE;
    }

    /**
     * The holder of the project's user + network namespace in rootless mode:
     * {@code qemu-compose-netns-<project>.service}.
     */
    public static String netnsUnit(String project) {
        return UNIT_PREFIX + "netns-" + project + SERVICE;
    }

    /**
     * The relay of a VM's bridge NIC {@code index} in rootless mode:
     * {@code qemu-compose-nic-<project>-<vm>-<index>.service}.
     */
    public static String nicRelayUnit(String project, String vm, int index) {
        return UNIT_PREFIX + "nic-" + project + "-" + vm + "-" + index + SERVICE;
    }

    /** The background reconciler: {@code qemu-compose-<project>-reconciler.service}. */
    public static String reconcilerUnit(String project) {
        return unitPrefix(project) + "reconciler" + SERVICE;
    }

    /** A unit name as people type it ({@code systemctl --user status NAME}, {@code journalctl -u NAME}). */
    public static String withoutSuffix(String unit) {
        return unit.endsWith(SERVICE) ? unit.substring(0, unit.length() - SERVICE.length()) : unit;
    }

    public Path projectDir() {
        return projectDir;
    }

    public Path stateDir() {
        return projectDir.resolve(STATE_DIR);
    }

    /** Creates {@code .qemu-compose/} (0700, a real folder we own) or checks the one there: see {@link StateDirectory}. */
    public Path createStateDir() {
        return StateDirectory.ensure(stateDir());
    }

    public Path stateFile() {
        return stateDir().resolve("state.json");
    }

    public Path lockFile() {
        return stateDir().resolve("lock");
    }

    /** What the watcher (foreground or background) last did and saw: passes, per-VM conditions. */
    public Path watchStatusFile() {
        return stateDir().resolve("watch-status.json");
    }

    /** Output of the background reconciler unit ({@code watch --detach}). */
    public Path reconcilerLog() {
        return stateDir().resolve("reconciler.log");
    }

    public Path volumesJson() {
        return stateDir().resolve("volumes.json");
    }

    public Path networksJson() {
        return stateDir().resolve("networks.json");
    }

    public Path volumesDir() {
        return stateDir().resolve("volumes");
    }

    public Path volumeDir(String volume) {
        return volumesDir().resolve(safe("volume", volume));
    }

    public Path sshDir() {
        return stateDir().resolve("ssh");
    }

    public Path sshPrivateKey() {
        return sshDir().resolve("id_ed25519");
    }

    public Path sshPublicKey() {
        return sshDir().resolve("id_ed25519.pub");
    }

    public Path knownHosts() {
        return sshDir().resolve("known_hosts");
    }

    public Path vmDir(String vm) {
        return stateDir().resolve(safe("VM", vm));
    }

    /**
     * Names of the VM instance folders that exist (those holding a disk or a seed), sorted: how
     * instances are found that the compose file no longer names (orphans).
     */
    public java.util.SortedSet<String> instanceNames() {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        if (!java.nio.file.Files.isDirectory(stateDir())) {
            return out;
        }
        try (java.util.stream.Stream<Path> entries = java.nio.file.Files.list(stateDir())) {
            entries.filter(java.nio.file.Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".") && !n.startsWith("-") && !n.equals("ssh") && !n.equals("volumes")
                            && !n.equals("networks"))
                    .filter(n -> java.nio.file.Files.exists(overlayDisk(n)) || java.nio.file.Files.exists(seedIso(n)))
                    .forEach(out::add);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + stateDir(), e);
        }
        return out;
    }

    public Path overlayDisk(String vm) {
        return vmDir(vm).resolve("disk.qcow2");
    }

    public Path seedIso(String vm) {
        return vmDir(vm).resolve("cloud-init.iso");
    }

    /**
     * A suspended VM's RAM and device state (QEMU's migration stream), next to its disk. QEMU writes
     * it in the unit's working directory (the VM folder) under {@link #SAVED_STATE_PART} by a fixed
     * relative name, so no path of the user's ever reaches the shell that QEMU's {@code exec:} runs.
     */
    public Path savedState(String vm) {
        return vmDir(vm).resolve(SAVED_STATE);
    }

    /** The saved state while QEMU is still writing it; renamed to {@link #savedState} on success. */
    public Path savedStatePart(String vm) {
        return vmDir(vm).resolve(SAVED_STATE_PART);
    }

    /** Made by the writer of {@link #savedStatePart} once every byte is on disk (fsync'd). */
    public Path savedStateWritten(String vm) {
        return vmDir(vm).resolve(SAVED_STATE_WRITTEN);
    }

    public static final String SAVED_STATE_WRITTEN = "suspend.state.written";
    public static final String SAVED_STATE = "suspend.state";
    public static final String SAVED_STATE_PART = "suspend.state.part";

    /** Short image names ({@code freebsd:14.1}) and the URL and release tag each resolved to. */
    public Path releasesFile() {
        return stateDir().resolve("releases.json");
    }

    /** The resource disk with the project's public key, for guests without cloud-init. */
    public Path keyDisk(String vm) {
        return vmDir(vm).resolve("keys.img");
    }

    /** The VM's own UEFI variable store (flash bank 1), copied from the firmware's template on first start. */
    public Path firmwareVariables(String vm) {
        return vmDir(vm).resolve("efi-vars.fd");
    }

    /** QEMU's -pidfile. */
    /** The Unix datagram socket QEMU binds for bridge NIC {@code index} in rootless mode. */
    public Path nicQemuSocket(String vm, int index) {
        return vmDir(vm).resolve("nic" + index + ".qemu.sock");
    }

    /** The socket of that NIC's relay inside the project's namespace (QEMU sends to it). */
    public Path nicRelaySocket(String vm, int index) {
        return vmDir(vm).resolve("nic" + index + ".ns.sock");
    }

    /** What the relay of bridge NIC {@code index} prints. */
    public Path nicRelayLog(String vm, int index) {
        return vmDir(vm).resolve("nic" + index + ".relay.log");
    }

    public Path qemuPidFile(String vm) {
        return vmDir(vm).resolve("qemu.pid");
    }

    /** A named volume's disk. */
    public Path volumeDisk(String volume) {
        return volumeDir(volume).resolve("disk.qcow2");
    }

    public Path networksDir() {
        return stateDir().resolve("networks");
    }

    /** A network's own files (dnsmasq config, leases). */
    public Path networkDir(String network) {
        return networksDir().resolve(safe("network", network));
    }

    public Path dnsmasqConfig(String network) {
        return networkDir(network).resolve("dnsmasq.conf");
    }

    public Path dhcpLeases(String network) {
        return networkDir(network).resolve("dnsmasq.leases");
    }

    public Path consoleSocket(String vm) {
        return vmDir(vm).resolve("console.sock");
    }

    public Path qmpSocket(String vm) {
        return vmDir(vm).resolve("qmp.sock");
    }

    public Path guestAgentSocket(String vm) {
        return vmDir(vm).resolve("qga.sock");
    }

    /**
     * A second QMP monitor that only event followers use (the daemon's event stream, {@code events}):
     * QEMU serves one client per monitor, so a follower on {@link #qmpSocket} would lock out
     * {@code stop}, {@code pause} and {@code ps}.
     */
    public Path qmpEventsSocket(String vm) {
        return vmDir(vm).resolve("qmp-events.sock");
    }

    /** The VM's VNC display when {@code vnc:} asks for a Unix socket. */
    public Path vncSocket(String vm) {
        return vmDir(vm).resolve("vnc.sock");
    }

    /**
     * VMs added by {@code launch} (the API's {@code POST /vms}): a compose file the reconciler owns,
     * merged after the project's own files by every command.
     */
    public Path launchedVmsFile() {
        return stateDir().resolve("launched.yaml");
    }

    /** The daemon's HTTP API (0600). */
    public Path apiSocket() {
        return stateDir().resolve("api.sock");
    }

    /** The bearer token of the daemon's loopback TCP listener (0600), written only with {@code --listen}. */
    public Path apiTokenFile() {
        return stateDir().resolve("api.token");
    }

    public Path consoleLog(String vm) {
        return vmDir(vm).resolve("console.log");
    }

    public Path unitLog(String vm) {
        return vmDir(vm).resolve("unit.log");
    }

    /** PIDs of the processes that copy the unit's log and the console log to the journal, while it runs. */
    public Path journalFollowerPidFile(String vm) {
        return vmDir(vm).resolve("journal-follower.pid");
    }

    /**
     * A path to {@code socket} short enough for a Unix socket address (107 bytes): the socket's
     * own path when it fits, else a short symlink to its directory (see {@link SocketAlias}).
     * QEMU must be given this path too, so that it binds through the same alias.
     */
    public Path reachableSocket(Path socket) {
        return socketAlias.reachable(socket);
    }

    /** Removes the short alias of a VM's directory, if one was made (on destroy). */
    public void forgetSocketAliases(String vm) {
        socketAlias.forget(vmDir(vm));
    }

    private static String safe(String kind, String name) {
        if (name == null || !SAFE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid " + kind + " name '" + name
                    + "': use letters, digits, '_', '.', '-' (not starting with '.' or '-')");
        }
        return name;
    }
}
