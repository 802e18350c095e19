package io.qemucompose.driver.network;

import io.qemucompose.driver.systemd.TransientUnit;
import io.qemucompose.state.ProjectLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The project's own user + network namespace for rootless bridge networks (docs/networks.md,
 * "Rootless mode"): a small user unit holds it open, and every program that works in it (ip,
 * dnsmasq, the NIC relays) enters it through the holder's PID. The user who made the namespace has
 * every capability inside it, so entering needs no privilege; inside, uid 0 is that user.
 *
 * @param holderPid the MainPID of {@link #holderUnit}: {@code /proc/<pid>/ns/{user,net}}
 */
public record ProjectNamespace(long holderPid, String nsenter) {

    public ProjectNamespace {
        if (holderPid <= 1) {
            throw new IllegalArgumentException("holder PID must be a real process, got " + holderPid);
        }
    }

    public ProjectNamespace(long holderPid) {
        this(holderPid, "nsenter");
    }

    /**
     * Whether {@code pid}'s user and network namespaces are no longer this process's: systemd
     * reports the holder's PID right after the fork, before unshare(2) has run, and entering it then
     * would be entering the host's own network namespace.
     */
    public static boolean madeBy(long pid) {
        try {
            for (String ns : new String[] {"user", "net"}) {
                Path theirs = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", ns));
                Path ours = Files.readSymbolicLink(Path.of("/proc/self/ns", ns));
                if (theirs.equals(ours)) {
                    return false;
                }
            }
            return true;
        } catch (IOException | SecurityException e) {
            return false; // gone, or not ours to look at
        }
    }

    /** {@code qemu-compose-netns-<project>.service}. */
    public static String holderUnitName(String project) {
        return ProjectLayout.netnsUnit(project);
    }

    /**
     * unshare makes the namespaces and execs sleep in them, so the unit's MainPID is their holder;
     * {@code --map-root-user}: the user is uid 0 inside, nobody else is mapped.
     *
     * @param unshare the absolute path of unshare (util-linux): systemd looks nothing up on PATH
     */
    public static TransientUnit holderUnit(String project, String unshare) {
        return TransientUnit.service(holderUnitName(project), List.of(unshare, "--user", "--map-root-user", "--net",
                        "--", "sleep", "infinity"))
                .description("qemu-compose network namespace of project " + project)
                .build();
    }

    /**
     * The argv that runs {@code command} inside the namespace. {@code --preserve-credentials}: no
     * setgroups (refused in a namespace made with --map-root-user); the user is its uid 0 anyway.
     */
    public List<String> enter(List<String> command) {
        var argv = new ArrayList<>(List.of(nsenter, "--target", Long.toString(holderPid), "--user", "--net",
                "--preserve-credentials", "--"));
        argv.addAll(command);
        return List.copyOf(argv);
    }
}
