package io.qemucompose.testkit;

import io.qemucompose.driver.systemd.Journald;
import io.qemucompose.driver.systemd.SystemdUserManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private {@code systemd --user} manager with its own session bus, XDG_RUNTIME_DIR and cgroup,
 * for code under test that talks to systemd over D-Bus. Use as a JUnit 5 extension
 * ({@code @RegisterExtension static PrivateSystemdUser systemd = new PrivateSystemdUser();} starts
 * it once per class, a non-static field once per test) or directly with {@link #start()} and
 * {@link #close()}.
 *
 * <p>The session bus is the manager's own: systemd (252) joins the API bus only when its
 * {@code dbus.socket} and {@code dbus.service} units run, and its dbus.socket would take over the
 * {@code $XDG_RUNTIME_DIR/bus} path from any dbus-daemon started beside it. So we let the manager
 * socket-activate its dbus-daemon (package dbus-user-session) and wait until it is on that bus.
 *
 * <p>{@code systemd --user} refuses to start unless {@code /run/systemd/system} exists, which other
 * programs read as "systemd is PID 1". When we create that directory we remove it as soon as the
 * manager is up; a lock file serializes this across test JVMs so one never removes it under
 * another's starting manager.
 *
 * <p>{@link #withJournal()} gives the manager a systemd-journald of its own, as a host with systemd
 * has: journald runs in a private mount namespace (tmpfs on {@code /run/systemd} and the journal
 * folders, so the host's {@code /run} and {@code /var/log/journal} never change) and the manager,
 * its units and whatever a test runs through {@link #enter(List)} share that namespace; the
 * manager's cgroup is {@code <name>.slice/user@<uid>.service}, the shape from which journald derives
 * {@code _SYSTEMD_USER_UNIT}. journald stops (by PID) with the manager.
  *
 * <p>{@link #forNewUser()} runs the manager as an unprivileged {@link TestUser} it creates, as a
 * login session would: the runtime dir (0700) and the delegated cgroup belong to the user, and
 * {@link #runAsUser} runs commands (the product's CLI) as that user against this manager.
 * Closing removes the user after the manager.
 */
public final class PrivateSystemdUser implements AutoCloseable, BeforeAllCallback, AfterAllCallback,
        BeforeEachCallback, AfterEachCallback {

    private static final Duration START_DEADLINE = Duration.ofSeconds(30);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(20);
    private static final Path RUN_SYSTEMD_SYSTEM = Path.of("/run/systemd/system");
    private static final Path RUN_SYSTEMD_LOCK = Path.of("/tmp/qemu-compose-test/run-systemd-system.lock");
    private static final ReentrantLock RUN_SYSTEMD_IN_JVM = new ReentrantLock();

    private final String name = "qct-" + ProcessHandle.current().pid() + "-"
            + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private Path runtimeDir;
    private SystemdCgroup cgroup;
    private Process manager;
    private Reaper.Registration cleanup;
    private boolean perClass;
    private String netns;
    private boolean journal;
    private boolean tunDevice;
    private Process journald;
    private final boolean newUser;
    private TestUser user;

    /** A manager running as root (the test JVM's user). */
    public PrivateSystemdUser() {
        this(false);
    }

    private PrivateSystemdUser(boolean newUser) {
        this.newUser = newUser;
    }

    /** A manager running as a new unprivileged user ({@link TestUser}, created at start, removed at close). */
    public static PrivateSystemdUser forNewUser() {
        return new PrivateSystemdUser(true);
    }

    /** Starts the manager and waits until it answers on its bus. */
    public synchronized PrivateSystemdUser start() {
        if (manager != null) {
            return this;
        }
        try {
            if (newUser) {
                user = TestUser.create();
            }
            runtimeDir = Files.createTempDirectory("qct-systemd-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            cgroup = journal ? SystemdCgroup.createUserManager(name, user != null ? user.uid() : uid()) : SystemdCgroup.create(name);
            cleanup = Reaper.register("systemd --user " + name, this::stopEverything);
            if (user != null) {
                user.chown(runtimeDir);
                cgroup.delegateTo(user.uid(), user.gid());
            }
            if (journal) {
                startJournald(); // its namespace has a /run/systemd/system of its own
                launchAndAwaitBus();
            } else {
                withRunSystemdSystem(this::launchAndAwaitBus);
            }
            return this;
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot prepare a private systemd user manager", e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Runs the manager, and so every unit it starts (QEMU, dnsmasq), inside the network namespace
     * {@code /run/netns/<name>} (entered with nsenter, not ip netns exec, which would hide the
     * cgroup file system). Call before {@link #start()}.
     */
    public synchronized PrivateSystemdUser inNetworkNamespace(String netnsName) {
        if (manager != null) {
            throw new IllegalStateException("the manager is running already");
        }
        this.netns = netnsName;
        return this;
    }

    /**
     * Gives the manager its own systemd-journald (see the class comment). Call before {@link #start()}.
     * The test world runs as root, and journald keeps root's entries in the system journal, which
     * {@code journalctl --user} (systemd 252) does not open: ask with {@code journalctl --user-unit}.
     */
    public synchronized PrivateSystemdUser withJournal() {
        if (manager != null) {
            throw new IllegalStateException("the manager is running already");
        }
        this.journal = true;
        return this;
    }

    /**
     * Runs the manager (and so every unit it starts) in a private mount namespace where a TUN node
     * the test made, mode 0666, is bind-mounted over {@code /dev/net/tun}: this machine's device is
     * 0600, stock Debian's 0666 (the rootless networks' one-time set-up), and the host's device is
     * never changed. {@link #enter}, {@link #runAsUser} run in that namespace too. Call before
     * {@link #start()}; not with {@link #withJournal()} (which has a mount namespace of its own).
     */
    public synchronized PrivateSystemdUser withTunDevice() {
        if (manager != null || journal) {
            throw new IllegalStateException("withTunDevice() goes before start() and without withJournal()");
        }
        this.tunDevice = true;
        return this;
    }

    /**
     * {@code command} as it must be run to see what the manager's units see: the manager's network
     * namespace (with {@link #inNetworkNamespace}) and, with {@link #withJournal()}, its mount
     * namespace (its journald, for journalctl and for the product's own journald check).
     */
    public List<String> enter(List<String> command) {
        return enter(command, null);
    }

    /** {@link #enter(List)} in {@code workingDirectory}: nsenter into a mount namespace starts in its root. */
    public List<String> enter(List<String> command, Path workingDirectory) {
        var argv = new ArrayList<String>();
        boolean tunNamespace = tunDevice && manager != null;
        if (netns != null || journald != null || tunNamespace) {
            argv.add("nsenter");
            if (workingDirectory != null) {
                argv.add("--wd=" + workingDirectory.toAbsolutePath());
            }
            if (journald != null) {
                argv.add("--mount=/proc/" + journald.pid() + "/ns/mnt");
            }
            if (tunNamespace) {
                argv.add("--mount=/proc/" + manager.pid() + "/ns/mnt");
            }
            if (netns != null) {
                argv.add("--net=/run/netns/" + netns);
            }
            argv.add("--");
        }
        argv.addAll(command);
        return argv;
    }

    /** The PID of the manager's journald (with {@link #withJournal()}). */
    public long journaldPid() {
        requireStarted();
        if (journald == null) {
            throw new IllegalStateException("started without withJournal()");
        }
        return journald.pid();
    }

    // Mounted in the new namespace only (unshare makes its mounts private): the journal's sockets and
    // runtime files under /run/systemd, volatile storage under /run/log, an empty /var/log/journal so
    // journalctl reads no host journal. Where /run/log is missing a fresh /run is mounted instead, so
    // nothing is ever created on the host.
    private static final String JOURNALD_NAMESPACE = """
            set -e
            if [ ! -d /run/log ]; then mount -t tmpfs -o mode=0755 qct-run /run; fi
            mkdir -p /run/systemd
            mount -t tmpfs -o mode=0755 qct-run-systemd /run/systemd
            mkdir -p /run/systemd/system /run/systemd/journald.conf.d
            cp -- "$1" /run/systemd/journald.conf.d/qct.conf
            mkdir -p /run/log
            mount -t tmpfs -o mode=0755 qct-run-log /run/log
            if [ -d /var/log/journal ]; then mount -t tmpfs -o mode=2755 qct-var-journal /var/log/journal; fi
            exec "$2"
            """;

    // No kernel log (the host's), nothing forwarded to syslog, consoles or terminals, no rate limit
    // (a booting guest's console comes in bursts), RAM only.
    private static final String JOURNALD_CONF = """
            [Journal]
            Storage=volatile
            ReadKMsg=no
            ForwardToSyslog=no
            ForwardToKMsg=no
            ForwardToConsole=no
            ForwardToWall=no
            RateLimitIntervalSec=0
            """;

    private void startJournald() throws IOException {
        Path conf = Files.writeString(runtimeDir.resolve("journald.conf"), JOURNALD_CONF);
        // unshare execs the script, which execs journald: the PID we hold is journald's
        var builder = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c",
                JOURNALD_NAMESPACE, "sh", conf.toString(), journaldBinary())
                .redirectErrorStream(true)
                .redirectOutput(runtimeDir.resolve("journald.log").toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("NOTIFY_SOCKET") || key.startsWith("LISTEN_"));
        journald = builder.start();
        Path socket = Path.of("/proc/" + journald.pid() + "/root/run/systemd/journal/stdout");
        Commands.awaitCondition("systemd-journald to listen on " + socket, START_DEADLINE, Duration.ofMillis(20), () -> {
            if (!journald.isAlive()) {
                throw new IllegalStateException("systemd-journald exited with " + journald.exitValue() + ": "
                        + readOrNothing(runtimeDir.resolve("journald.log")));
            }
            return Files.exists(socket);
        });
    }

    private static String journaldBinary() {
        for (String candidate : List.of("/lib/systemd/systemd-journald", "/usr/lib/systemd/systemd-journald")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("systemd-journald is not installed (package systemd; run scripts/install-deps)");
    }

    private static long uid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void launchAndAwaitBus() {
        var command = new ArrayList<String>(enter(List.of()));
        if (tunDevice) {
            // unshare and both shells exec: the PID we hold stays the manager's, whose /proc/PID/ns/mnt
            // enter() uses
            Path tun = runtimeDir.resolve("tun");
            Commands.run(List.of("mknod", "-m", "0666", tun.toString(), "c", "10", "200")).orThrow();
            command.addAll(List.of("unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c",
                    "mount --bind \"$0\" /dev/net/tun && exec \"$@\"", tun.toString()));
        }
        // join our own cgroup(s) first (as root: a process moves itself), so the manager and all
        // its units live there; then become the test user, if any; setsid: own session, so a
        // terminal's signals do not reach it
        List<String> procsFiles = cgroup.procsFiles().stream().map(Path::toString).toList();
        command.addAll(List.of("/bin/sh", "-c",
                "n=$1; shift; while [ \"$n\" -gt 0 ]; do echo $$ > \"$1\"; shift; n=$((n - 1)); done; exec \"$@\"",
                "sh", Integer.toString(procsFiles.size())));
        command.addAll(procsFiles);
        List<String> systemdUser = List.of("setsid", systemdBinary(), "--user");
        command.addAll(user == null ? systemdUser : user.argv(systemdUser, managerEnvironment()));
        var builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(runtimeDir.resolve("manager.log").toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("NOTIFY_SOCKET") || key.startsWith("LISTEN_")
                || key.startsWith("INVOCATION_ID") || key.startsWith("MANAGERPID"));
        builder.environment().putAll(managerEnvironment());
        try {
            manager = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start systemd --user", e);
        }
        Commands.awaitCondition("systemd --user to listen on " + busSocket(), START_DEADLINE, Duration.ofMillis(20),
                () -> {
                    if (!manager.isAlive()) {
                        throw new IllegalStateException("systemd --user exited with " + manager.exitValue()
                                + ": " + managerLog());
                    }
                    return Files.exists(busSocket());
                });
        // The first client connection activates dbus.service; the manager joins the bus after it.
        // A session bus admits only its owner, so for a test user the question is asked as that user.
        Commands.awaitCondition("systemd --user on its session bus", START_DEADLINE, Duration.ofMillis(50), () -> {
            if (user != null) {
                return runAsUser(List.of("busctl", "--user", "call", "org.freedesktop.systemd1",
                        "/org/freedesktop/systemd1", "org.freedesktop.DBus.Peer", "Ping"), START_DEADLINE, null)
                        .succeeded();
            }
            try (var client = SystemdUserManager.connect(busAddress())) {
                return client.unit("init.scope").isActive();
            } catch (RuntimeException notYet) {
                return false;
            }
        });
    }

    /**
     * {@code systemctl --user daemon-reexec}, as a package upgrade or an admin does to a running
     * manager: it serializes its state, executes itself again and takes its units back. Returns
     * once the new manager answers on the bus. The re-executed manager checks
     * {@code /run/systemd/system} as a new one does, hence the same guard as {@link #start()}.
     */
    public synchronized void reexecute() {
        Runnable reexec = () -> {
            var argv = new ArrayList<>(List.of("env"));
            environment().forEach((k, v) -> argv.add(k + "=" + v));
            argv.addAll(List.of("systemctl", "--user", "daemon-reexec"));
            CommandResult r = Commands.run(argv, Duration.ofSeconds(60), null);
            if (r.exitCode() != 0) {
                throw new IllegalStateException("daemon-reexec failed: " + r);
            }
            Commands.awaitCondition("the re-executed manager to answer", Duration.ofSeconds(60), Duration.ofMillis(250),
                    () -> {
                        try (SystemdUserManager client = connect()) {
                            client.listUnits("qct-none-");
                            return true;
                        } catch (RuntimeException e) {
                            return false;
                        }
                    });
        };
        if (journal) {
            reexec.run(); // the namespace keeps its own /run/systemd/system
        } else {
            withRunSystemdSystem(reexec);
        }
    }

    private void withRunSystemdSystem(Runnable start) {
        RUN_SYSTEMD_IN_JVM.lock();
        try {
            Files.createDirectories(RUN_SYSTEMD_LOCK.getParent());
            try (var lockFile = FileChannel.open(RUN_SYSTEMD_LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 var ignored = lockFile.lock()) {
                boolean created = !Files.isDirectory(RUN_SYSTEMD_SYSTEM);
                if (created) {
                    Files.createDirectories(RUN_SYSTEMD_SYSTEM);
                }
                try {
                    start.run();
                } finally {
                    if (created) {
                        Files.deleteIfExists(RUN_SYSTEMD_SYSTEM);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            RUN_SYSTEMD_IN_JVM.unlock();
        }
    }

    private static String systemdBinary() {
        for (String candidate : List.of("/lib/systemd/systemd", "/usr/lib/systemd/systemd")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("systemd is not installed (run scripts/install-deps)");
    }

    public String busAddress() {
        return "unix:path=" + busSocket();
    }

    public Path runtimeDir() {
        requireStarted();
        return runtimeDir;
    }

    private Map<String, String> managerEnvironment() {
        var env = new LinkedHashMap<>(environment());
        // Unit files of other managers on this machine (~/.config/systemd/user) stay out of ours.
        env.put("XDG_CONFIG_HOME", runtimeDir.resolve("config").toString());
        env.put("XDG_DATA_HOME", runtimeDir.resolve("data").toString());
        return env;
    }

    /** The user the manager runs as ({@link #forNewUser()} only). */
    public TestUser user() {
        requireStarted();
        if (user == null) {
            throw new IllegalStateException("this manager runs as root; use PrivateSystemdUser.forNewUser()");
        }
        return user;
    }

    /**
     * Runs {@code command} as the manager's user with this manager's session environment (its
     * runtime dir and bus), as a command typed in that user's login session would run.
     */
    public CommandResult runAsUser(List<String> command, Duration deadline, Path workDir) {
        if (user == null) {
            throw new IllegalStateException("this manager runs as root; use PrivateSystemdUser.forNewUser()");
        }
        if (tunDevice) {
            return Commands.run(enter(user.argv(command, environment()), workDir), deadline, workDir);
        }
        return user.run(command, environment(), deadline, workDir);
    }

    /**
     * The environment a process needs to reach this manager (like a login session's). With
     * {@link #withJournal()} it also says {@code QEMU_COMPOSE_JOURNAL=on}: a CLI run in the test's
     * JVM does not see the namespace's journald, so it lets the VM units look for it themselves.
     */
    public Map<String, String> environment() {
        if (journal) {
            return Map.of("XDG_RUNTIME_DIR", runtimeDir.toString(), "DBUS_SESSION_BUS_ADDRESS", busAddress(),
                    Journald.ENV, "on");
        }
        return Map.of("XDG_RUNTIME_DIR", runtimeDir.toString(), "DBUS_SESSION_BUS_ADDRESS", busAddress());
    }

    /**
     * The argv of {@code journalctl} for one of this manager's units, entered into its namespace, as
     * its user asks: {@code --user -u <unit>}, or as root {@code --user-unit <unit>} (journald files
     * root's entries in the system journal, which {@code journalctl --user} does not open).
     */
    public List<String> journalctl(String unit, String... options) {
        var argv = new ArrayList<>(List.of("journalctl"));
        argv.addAll(uid() == 0 ? List.of("--user-unit", unit) : List.of("--user", "-u", unit));
        argv.addAll(List.of("--no-pager", "--no-hostname"));
        argv.addAll(List.of(options));
        return enter(argv);
    }

    public long managerPid() {
        requireStarted();
        return manager.pid();
    }

    /** The cgroup directories the manager and its units live in. */
    public List<Path> cgroupDirs() {
        requireStarted();
        return cgroup.dirs();
    }

    /**
     * A new D-Bus client of this manager (the product's driver); close it after use. Not for a
     * {@link #forNewUser()} manager: its session bus admits its user only, so run the code as
     * that user ({@link #runAsUser}).
     */
    public SystemdUserManager connect() {
        if (user != null) {
            throw new IllegalStateException("the bus of " + user.name() + " admits that user only: use runAsUser");
        }
        return SystemdUserManager.connect(busAddress());
    }

    private Path busSocket() {
        return runtimeDir.resolve("bus");
    }

    private String managerLog() {
        return readOrNothing(runtimeDir.resolve("manager.log"));
    }

    private static String readOrNothing(Path log) {
        try {
            return Files.readString(log).strip();
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private void requireStarted() {
        if (manager == null) {
            throw new IllegalStateException("the private systemd user manager is not started");
        }
    }

    /** Stops the manager (its units stop with it), kills leftovers of our cgroup, removes everything. */
    @Override
    public synchronized void close() {
        if (cleanup != null) {
            cleanup.run();
            cleanup = null;
        } else {
            stopEverything();
        }
        manager = null;
    }

    private void stopEverything() {
        if (manager != null && manager.isAlive()) {
            manager.destroy(); // SIGTERM: the manager stops its units, then exits
            try {
                if (!manager.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                    manager.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                manager.destroyForcibly();
            }
        }
        if (cgroup != null) {
            // Whatever is left in our cgroup was started by our manager: kill it by PID.
            for (long pid : cgroup.pids()) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            try {
                Commands.awaitCondition("processes of cgroup " + name + " to exit", Duration.ofSeconds(10),
                        Duration.ofMillis(20), () -> cgroup.pids().isEmpty());
                cgroup.remove();
            } catch (RuntimeException e) {
                System.err.println("testkit: cgroup " + name + " not removed: " + e.getMessage());
            }
        }
        if (journald != null) {
            // after the manager: the units' last lines are in; the namespace goes with its last process
            stop(journald);
            journald = null;
        }
        if (runtimeDir != null) {
            TempFiles.deleteTree(runtimeDir);
        }
        if (user != null) {
            user.close();
        }
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            close();
        }
    }
}
