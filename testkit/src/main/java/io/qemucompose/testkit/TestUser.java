package io.qemucompose.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * An unprivileged user the test creates ({@code useradd}, uid 1001 or above, home under
 * {@code /tmp/qemu-compose-test/users/}) to run code as a normal user would: the product's CLI,
 * a systemd user manager ({@link PrivateSystemdUser#forNewUser()}). Closing it (or the JVM shutdown
 * hook) kills whatever still runs under its uid, then removes the user, its group and its home.
 * Needs root.
 */
public final class TestUser implements AutoCloseable {

    /** Above the first regular uid (1000), which an image or another tool may expect to be free. */
    static final int MIN_UID = 1001;
    private static final Path HOMES = Path.of("/tmp/qemu-compose-test/users");
    private static final Duration COMMAND_DEADLINE = Duration.ofSeconds(60);
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final String name;
    private final int uid;
    private final int gid;
    private final Path home;
    private final Reaper.Registration cleanup;

    private TestUser(String name, int uid, int gid, Path home) {
        this.name = name;
        this.uid = uid;
        this.gid = gid;
        this.home = home;
        this.cleanup = Reaper.register("test user " + name, this::remove);
    }

    /** Creates a new user {@code qctu-<random>} with its own group and a 0700 home folder. */
    public static TestUser create() {
        String name = "qctu-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Path home = HOMES.resolve(name);
        try {
            Files.createDirectories(HOMES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Commands.run(List.of("useradd", "-K", "UID_MIN=" + MIN_UID, "-K", "GID_MIN=" + MIN_UID, "--user-group",
                "--create-home", "--home-dir", home.toString(), "--shell", "/bin/sh", name), COMMAND_DEADLINE, null)
                .orThrow();
        try {
            int uid = Integer.parseInt(id("-u", name));
            int gid = Integer.parseInt(id("-g", name));
            var user = new TestUser(name, uid, gid, home);
            Commands.run(List.of("chmod", "0700", home.toString()), COMMAND_DEADLINE, null).orThrow();
            return user;
        } catch (RuntimeException e) {
            Commands.run(List.of("userdel", "--remove", name), COMMAND_DEADLINE, null);
            throw e;
        }
    }

    private static String id(String flag, String name) {
        return Commands.run(List.of("id", flag, name), COMMAND_DEADLINE, null).orThrow().stdout().strip();
    }

    public String name() {
        return name;
    }

    public int uid() {
        return uid;
    }

    public int gid() {
        return gid;
    }

    public Path home() {
        return home;
    }

    /** Hands {@code path} (and, for a folder, everything in it) to this user. */
    public void chown(Path path) {
        Commands.run(List.of("chown", "-R", uid + ":" + gid, path.toString()), COMMAND_DEADLINE, null).orThrow();
    }

    /**
     * The argv that runs {@code command} as this user, in a clean login-like environment
     * ({@code HOME}, {@code USER}, {@code PATH}) plus {@code environment}: setpriv switches uid, gid
     * and supplementary groups; env -i drops the test JVM's environment (root's HOME and the like).
     */
    public List<String> argv(List<String> command, Map<String, String> environment) {
        var env = new LinkedHashMap<String, String>();
        env.put("HOME", home.toString());
        env.put("USER", name);
        env.put("LOGNAME", name);
        env.put("PATH", PATH);
        env.putAll(environment);
        var argv = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--init-groups",
                "env", "-i"));
        env.forEach((k, v) -> argv.add(k + "=" + v));
        argv.addAll(command);
        return argv;
    }

    /** Runs {@code command} as this user to completion (killed at the deadline). */
    public CommandResult run(List<String> command, Map<String, String> environment, Duration deadline, Path workDir) {
        return Commands.run(argv(command, environment), deadline, workDir);
    }

    /** PIDs of every process running with this user's real uid (all of them started by the test). */
    public List<Long> pids() {
        var pids = new ArrayList<Long>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String uidLine = Files.readAllLines(proc.resolve("status")).stream()
                            .filter(l -> l.startsWith("Uid:")).findFirst().orElse("");
                    String[] ids = uidLine.substring(Math.min(4, uidLine.length())).strip().split("\\s+");
                    if (ids.length > 0 && ids[0].equals(Integer.toString(uid))) {
                        pids.add(Long.parseLong(proc.getFileName().toString()));
                    }
                } catch (IOException | UncheckedIOException gone) {
                    // the process exited while we read it
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pids;
    }

    /** Whether the user still exists on the host. */
    public boolean exists() {
        return Commands.run(List.of("id", "-u", name), COMMAND_DEADLINE, null).succeeded();
    }

    @Override
    public void close() {
        cleanup.run();
    }

    private void remove() {
        // a fresh uid: every process that runs under it is the test's own
        for (long pid : pids()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        Commands.awaitCondition("processes of " + name + " to exit", Duration.ofSeconds(10), Duration.ofMillis(20),
                () -> pids().isEmpty());
        CommandResult r = Commands.run(List.of("userdel", "--remove", name), COMMAND_DEADLINE, null);
        // exit 12: the home folder could not be removed (the user is gone; deleteTree below tries again)
        if (r.exitCode() != 0 && r.exitCode() != 12) {
            throw new IllegalStateException("userdel " + name + " failed: " + r);
        }
        Commands.run(List.of("groupdel", name), COMMAND_DEADLINE, null); // gone with the user, usually
        TempFiles.deleteTree(home);
    }
}
