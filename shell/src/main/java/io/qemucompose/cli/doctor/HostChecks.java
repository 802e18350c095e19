package io.qemucompose.cli.doctor;

import io.qemucompose.driver.qemu.Firmware;
import io.qemucompose.driver.DependencyMissingException;
import io.qemucompose.driver.network.CapNetAdmin;
import io.qemucompose.driver.network.NetworkMode;
import io.qemucompose.driver.network.DnsmasqUnit;
import io.qemucompose.driver.systemd.Journald;
import io.qemucompose.driver.systemd.SystemdException;
import io.qemucompose.driver.systemd.SystemdUserManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The checks of {@code qemu-compose doctor}: what this host needs to run VMs, each failure naming
 * the Debian package that fixes it. Checks run in parallel on virtual threads (a few start
 * processes) and report in a fixed order.
 */
public final class HostChecks {

    private static final Duration PROCESS_DEADLINE = Duration.ofSeconds(10);

    private final Map<String, String> env;
    private final ExecutableLookup executables;
    private final Path procSelfStatus;
    private final KvmCheck kvm;
    private final java.util.function.BooleanSupplier userNamespaces;
    private final Path tun;

    public HostChecks(Map<String, String> env, KvmCheck kvm) {
        this(env, new ExecutableLookup(env), Path.of("/proc/self/status"), kvm);
    }

    HostChecks(Map<String, String> env, ExecutableLookup executables, Path procSelfStatus, KvmCheck kvm) {
        this(env, executables, procSelfStatus, kvm, RootlessNetworkCheck::canMakeUserNamespaces, Path.of("/dev/net/tun"));
    }

    HostChecks(Map<String, String> env, ExecutableLookup executables, Path procSelfStatus, KvmCheck kvm,
            java.util.function.BooleanSupplier userNamespaces, Path tun) {
        this.env = env;
        this.executables = executables;
        this.procSelfStatus = procSelfStatus;
        this.kvm = kvm;
        this.userNamespaces = userNamespaces;
        this.tun = tun;
    }

    public List<Finding> run() {
        Finding bridges = bridgeNetworks();
        boolean bridgesAvailable = bridges.status() == Finding.Status.OK;
        List<Callable<Finding>> checks = List.of(
                this::operatingSystem,
                this::systemdUserManager,
                () -> journal(Journald.host(), runsAsRoot()),
                () -> program("qemu-system-x86_64", "QEMU", "qemu-system-x86", true),
                () -> program("qemu-img", "qemu-img", "qemu-utils", true),
                this::isoWriter,
                () -> program("ssh", "ssh", "openssh-client", true),
                () -> program("ssh-keygen", "ssh-keygen", "openssh-client", false),
                () -> bridges,
                () -> new RootlessNetworkCheck(userNamespaces, tun, executables).check(),
                () -> dnsmasq(bridgesAvailable),
                () -> program("ip", "ip (bridge networks)", "iproute2", bridgesAvailable),
                this::ninePSupport,
                kvm::check,
                // needed only by the VMs whose device profile uses them (docs/os-profiles.md)
                () -> program("qemu-system-aarch64", "QEMU arm64 (platform: linux/arm64)", "qemu-system-arm", false),
                () -> firmware(Firmware.SEABIOS, "SeaBIOS bios-256k.bin (FreeBSD/NetBSD/Haiku/OmniOS x86-64)"),
                () -> firmware(Firmware.OVMF, "UEFI OVMF.fd (OpenBSD x86-64)"),
                () -> firmware(Firmware.AARCH64_UEFI, "UEFI QEMU_EFI.fd (BSD arm64 guests)"),
                () -> firmware(Firmware.AAVMF, "UEFI AAVMF code and variable store (Linux arm64 guests)"),
                () -> program("mkfs.fat", "mkfs.fat (key disk of BSD/Haiku/OmniOS guests)", "dosfstools", false),
                () -> program("mcopy", "mcopy (key disk of BSD/Haiku/OmniOS guests)", "mtools", false));
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Finding>> futures = new ArrayList<>();
            for (Callable<Finding> check : checks) {
                futures.add(executor.submit(check));
            }
            List<Finding> findings = new ArrayList<>();
            for (Future<Finding> future : futures) {
                findings.add(resultOf(future));
            }
            return findings;
        }
    }

    private static Finding resultOf(Future<Finding> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            return Finding.warning("check failed", String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Finding.warning("check interrupted", "");
        }
    }

    Finding operatingSystem() {
        String os = System.getProperty("os.name");
        String detail = os + " " + System.getProperty("os.version") + " (" + System.getProperty("os.arch") + ")";
        return os.equals("Linux")
                ? Finding.ok("Operating system", detail)
                : Finding.missing("Operating system", detail + ": qemu-compose needs Linux", null, true);
    }

    Finding program(String program, String name, String debianPackage, boolean required) {
        return executables.find(program)
                .map(path -> Finding.ok(name, "found at " + path))
                .orElseGet(() -> Finding.missing(name, program + " not found", debianPackage, required));
    }

    Finding firmware(Firmware firmware, String name) {
        Optional<Path> code = firmware.locate();
        Optional<Path> variables = firmware.locateVariableTemplate(Files::isRegularFile);
        if (code.isPresent() && (!firmware.hasVariables() || variables.isPresent())) {
            return Finding.ok(name, "found at " + code.get() + variables.map(v -> " and " + v).orElse(""));
        }
        List<Path> missing = code.isPresent() ? firmware.variableTemplates() : firmware.candidates();
        return Finding.missing(name, "none of " + missing.stream().map(Path::toString)
                .collect(java.util.stream.Collectors.joining(", ")), firmware.debianPackage(), false);
    }

    Finding isoWriter() {
        for (String program : List.of("genisoimage", "xorriso", "mkisofs")) {
            Optional<Path> path = executables.find(program);
            if (path.isPresent()) {
                return Finding.ok("ISO writer (cloud-init seed)", "found at " + path.get());
            }
        }
        return Finding.missing("ISO writer (cloud-init seed)", "none of genisoimage, xorriso, mkisofs found",
                "genisoimage", true);
    }

    /**
     * Where journald runs, each VM unit copies QEMU's output and its serial console to the journal;
     * without it journalctl has nothing, and {@code logs} (which reads the files) is the way.
     */
    Finding journal(Journald journald, boolean root) {
        String name = "journald (journalctl for VM output)";
        String command = Journald.followCommand("qemu-compose-<project>-<vm>", root);
        if (journald.forwardingWanted(env) && journald.running()) {
            return Finding.ok(name, "VM units send QEMU's output and the serial console to the journal: " + command);
        }
        if (journald.forwardingWanted(env)) {
            return Finding.ok(name, Journald.ENV + "=" + env.get(Journald.ENV) + ": VM units look for journald"
                    + " themselves (not visible here): " + command);
        }
        if (journald.running()) {
            return Finding.ok(name, Journald.ENV + "=" + env.get(Journald.ENV) + ": VM output is not sent to the "
                    + "journal; `qemu-compose logs` shows it");
        }
        return Finding.warning(name, "not running (no " + journald.stdoutSocket() + "): `" + command
                + "` needs journald and shows nothing here; `qemu-compose logs [--follow]` shows QEMU's output and the"
                + " serial console");
    }

    private static boolean runsAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | ClassCastException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** VMs run as systemd user units driven over D-Bus: connect and subscribe, as the driver does. */
    Finding systemdUserManager() {
        String name = "systemd user manager (D-Bus)";
        Optional<Path> socket = userBusSocket();
        if (socket.isEmpty()) {
            return Finding.missing(name, "no user bus: neither DBUS_SESSION_BUS_ADDRESS nor $XDG_RUNTIME_DIR/bus is set"
                    + " (log in through a session, or run `loginctl enable-linger $USER`)", "dbus-user-session", true);
        }
        if (!Files.exists(socket.get())) {
            return Finding.missing(name, "user bus socket " + socket.get() + " does not exist (is systemd --user running?"
                    + " `loginctl enable-linger $USER`)", "dbus-user-session", true);
        }
        String address = "unix:path=" + socket.get();
        try (var manager = SystemdUserManager.connect(address)) {
            return Finding.ok(name, "reached over " + address);
        } catch (SystemdException e) {
            return Finding.missing(name, e.getMessage(), "systemd", true);
        }
    }

    private Optional<Path> userBusSocket() {
        String address = env.get("DBUS_SESSION_BUS_ADDRESS");
        if (address != null) {
            for (String part : address.split("[;,]")) {
                if (part.startsWith("unix:path=")) {
                    return Optional.of(Path.of(part.substring("unix:path=".length())));
                }
            }
        }
        String runtimeDir = env.get("XDG_RUNTIME_DIR");
        return runtimeDir == null ? Optional.empty() : Optional.of(Path.of(runtimeDir, "bus"));
    }

    /**
     * Which network mode {@code up} uses here ({@link NetworkMode}, the same decision): host mode with
     * CAP_NET_ADMIN, else the rootless mode (a user + network namespace per project) where the host
     * allows it, else none (VMs without {@code networks:} still work).
     */
    Finding bridgeNetworks() {
        String name = "bridge networks";
        try {
            Optional<Boolean> held = CapNetAdmin.inStatus(Files.readString(procSelfStatus));
            if (held.isEmpty()) {
                return Finding.warning(name, "cannot tell: no CapEff line in " + procSelfStatus);
            }
            NetworkMode mode = NetworkMode.detect(env, held.get(), userNamespaces, tun,
                    program -> executables.find(program).isPresent());
            return switch (mode.kind()) {
                case HOST -> Finding.ok(name, "host mode (CAP_NET_ADMIN): bridges in the host's network namespace");
                case ROOTLESS -> Finding.ok(name, "rootless mode (a user + network namespace per project): "
                        + (held.get() ? NetworkMode.ENV + "=rootless" : "no CAP_NET_ADMIN"));
                case UNAVAILABLE -> Finding.warning(name, "not available: " + mode.reason()
                        + " (VMs without 'networks:' work as any user)");
            };
        } catch (IOException | NumberFormatException e) {
            return Finding.warning(name, "cannot read " + procSelfStatus + ": " + e.getMessage());
        }
    }

    /** dnsmasq serves DHCP and DNS on every bridge network: required only where bridge networks can be made. */
    Finding dnsmasq(boolean required) {
        String name = "dnsmasq (bridge networks)";
        if (env.containsKey(DnsmasqUnit.BINARY_ENV)) {
            // the same lookup the dnsmasq unit uses; a path given there is taken as is, so check it runs
            try {
                Path binary = Path.of(DnsmasqUnit.binary(env));
                if (Files.isRegularFile(binary) && Files.isExecutable(binary)) {
                    return Finding.ok(name, "found at " + binary + " (" + DnsmasqUnit.BINARY_ENV + ")");
                }
            } catch (DependencyMissingException e) {
                // reported below
            }
            return Finding.missing(name, env.get(DnsmasqUnit.BINARY_ENV) + " (" + DnsmasqUnit.BINARY_ENV
                    + ") not found", "dnsmasq-base", required);
        }
        return program("dnsmasq", name, "dnsmasq-base", required);
    }

    /** Bind-mount volumes share host folders over 9p; Debian's QEMU has it, some builds do not. */
    Finding ninePSupport() {
        String name = "9p folder sharing (bind volumes)";
        Optional<Path> qemu = executables.find("qemu-system-x86_64");
        if (qemu.isEmpty()) {
            return Finding.missing(name, "cannot check without qemu-system-x86_64", "qemu-system-x86", false);
        }
        try {
            String devices = runForOutput(List.of(qemu.get().toString(), "-nodefaults", "-machine", "none",
                    "-device", "help"));
            return devices.contains("virtio-9p-pci")
                    ? Finding.ok(name, "QEMU lists virtio-9p-pci")
                    : Finding.missing(name, "QEMU does not list virtio-9p-pci", "qemu-system-x86", false);
        } catch (IOException e) {
            return Finding.warning(name, "could not ask QEMU: " + e.getMessage());
        }
    }

    static String runForOutput(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        try (InputStream in = process.getInputStream()) {
            // read on a virtual thread so a wedged process cannot hold doctor past the deadline
            var output = new java.util.concurrent.CompletableFuture<String>();
            Thread.ofVirtual().start(() -> {
                try {
                    output.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    output.completeExceptionally(e);
                }
            });
            if (!process.waitFor(PROCESS_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.getFirst() + " did not finish within " + PROCESS_DEADLINE.toSeconds() + " s");
            }
            return output.get(PROCESS_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
