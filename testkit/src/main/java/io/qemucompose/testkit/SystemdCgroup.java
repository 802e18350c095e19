package io.qemucompose.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The cgroup a private systemd user manager lives in. Two managers in one cgroup see each other's
 * processes as their own and kill them when a unit stops, so each manager gets a fresh cgroup
 * (one per hierarchy systemd tracks with: v2 root, or on hybrid hosts the v1 name=systemd tree
 * plus the unified v2 tree) under a name unique to this JVM.
 */
final class SystemdCgroup {

    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    private final List<Path> dirs;
    /** What {@link #remove()} removes: the dirs themselves, or the slice they sit in. */
    private final List<Path> tops;

    private SystemdCgroup(List<Path> dirs, List<Path> tops) {
        this.dirs = dirs;
        this.tops = tops;
    }

    static SystemdCgroup create(String name) {
        List<Path> dirs = hierarchies().stream().map(h -> h.resolve(name)).toList();
        make(name, dirs);
        return new SystemdCgroup(dirs, dirs);
    }

    /**
     * A cgroup laid out as logind makes it for a user's manager, {@code <name>.slice/user@<uid>.service}:
     * journald names the user unit of an entry ({@code _SYSTEMD_USER_UNIT}) only when the sender's
     * cgroup path has that shape.
     */
    static SystemdCgroup createUserManager(String name, long uid) {
        List<Path> tops = hierarchies().stream().map(h -> h.resolve(name + ".slice")).toList();
        List<Path> dirs = tops.stream().map(t -> t.resolve("user@" + uid + ".service")).toList();
        make(name, dirs);
        return new SystemdCgroup(dirs, tops);
    }

    private static List<Path> hierarchies() {
        var dirs = new ArrayList<Path>();
        if (Files.exists(ROOT.resolve("cgroup.controllers"))) {
            dirs.add(ROOT); // pure cgroup v2
        } else {
            for (String hierarchy : List.of("systemd", "unified")) {
                if (Files.exists(ROOT.resolve(hierarchy).resolve("cgroup.procs"))) {
                    dirs.add(ROOT.resolve(hierarchy));
                }
            }
        }
        if (dirs.isEmpty()) {
            throw new IllegalStateException("no cgroup hierarchy systemd can use under " + ROOT);
        }
        return dirs;
    }

    private static void make(String name, List<Path> dirs) {
        try {
            for (Path dir : dirs) {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create cgroup " + name + " (root needed)", e);
        }
    }

    /**
     * Delegates the cgroup to an unprivileged manager (systemd's "Delegate=yes" done by hand): the
     * folders and their files belong to the user, so its manager can make sub-cgroups and move its
     * units' processes between them (writes to the common ancestor's cgroup.procs).
     */
    void delegateTo(int uid, int gid) {
        for (Path dir : dirs) {
            Commands.run(List.of("chown", "-R", uid + ":" + gid, dir.toString())).orThrow();
        }
    }

    List<Path> dirs() {
        return dirs;
    }

    /** The {@code cgroup.procs} files a process writes its PID to, to join this cgroup. */
    List<Path> procsFiles() {
        return dirs.stream().map(dir -> dir.resolve("cgroup.procs")).toList();
    }

    /** PIDs of every process in this cgroup tree (all of them started by our manager). */
    List<Long> pids() {
        var pids = new ArrayList<Long>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> tree = Files.walk(dir)) {
                for (Path procs : tree.filter(p -> p.getFileName().toString().equals("cgroup.procs")).toList()) {
                    for (String line : Files.readAllLines(procs)) {
                        if (!line.isBlank() && !pids.contains(Long.parseLong(line.strip()))) {
                            pids.add(Long.parseLong(line.strip()));
                        }
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                // the tree is going away while we read it
            }
        }
        return pids;
    }

    boolean exists() {
        return tops.stream().anyMatch(Files::exists);
    }

    /** Removes the cgroup directories, deepest first; they must hold no process any more. */
    void remove() {
        for (Path dir : tops) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> tree = Files.walk(dir)) {
                // cgroupfs: only directories can be removed (rmdir), their files go with them
                for (Path sub : tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(sub);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove cgroup " + dir, e);
            }
        }
    }
}
