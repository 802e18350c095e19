package io.qemucompose.cli.doctor;

import io.qemucompose.driver.systemd.SystemdException;
import io.qemucompose.driver.systemd.SystemdUserManager;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
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

    static final int CAP_NET_ADMIN = 12;
    private static final Duration PROCESS_DEADLINE = Duration.ofSeconds(10);

    private final Map<String, String> env;
    private final ExecutableLookup executables;
    private final Path procSelfStatus;
    private final KvmCheck kvm;

    public HostChecks(Map<String, String> env, KvmCheck kvm) {
        this(env, new ExecutableLookup(env), Path.of("/proc/self/status"), kvm);
    }

    HostChecks(Map<String, String> env, ExecutableLookup executables, Path procSelfStatus, KvmCheck kvm) {
        this.env = env;
        this.executables = executables;
        this.procSelfStatus = procSelfStatus;
        this.kvm = kvm;
    }

    public List<Finding> run() {
        List<Callable<Finding>> checks = List.of(
                this::operatingSystem,
                this::systemdUserManager,
                () -> program("qemu-system-x86_64", "QEMU", "qemu-system-x86", true),
                () -> program("qemu-img", "qemu-img", "qemu-utils", true),
                this::isoWriter,
                () -> program("ssh", "ssh", "openssh-client", true),
                () -> program("ssh-keygen", "ssh-keygen", "openssh-client", false),
                () -> program("dnsmasq", "dnsmasq (bridge networks)", "dnsmasq-base", false),
                () -> program("ip", "ip (bridge networks)", "iproute2", false),
                this::netAdminCapability,
                this::ninePSupport,
                kvm::check);
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

    /** Bridges and TAP devices need CAP_NET_ADMIN; user-mode networking does not. */
    Finding netAdminCapability() {
        String name = "CAP_NET_ADMIN (bridge networks)";
        try {
            for (String line : Files.readAllLines(procSelfStatus)) {
                if (line.startsWith("CapEff:")) {
                    var effective = new BigInteger(line.substring("CapEff:".length()).trim(), 16);
                    return effective.testBit(CAP_NET_ADMIN)
                            ? Finding.ok(name, "granted")
                            : Finding.warning(name, "not granted: bridge networks need root or CAP_NET_ADMIN;"
                                    + " user-mode networking works without it");
                }
            }
            return Finding.warning(name, "CapEff not found in " + procSelfStatus);
        } catch (IOException | NumberFormatException e) {
            return Finding.warning(name, "cannot read " + procSelfStatus + ": " + e.getMessage());
        }
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
