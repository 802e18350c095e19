package io.qemucompose.driver.network;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Where a project's bridge networks live (docs/networks.md, "Privileges"): in the host's network
 * namespace when this process holds CAP_NET_ADMIN ({@link Kind#HOST}), else in a user + network
 * namespace of the project's own ({@link Kind#ROOTLESS}) when the host allows one, else nowhere
 * ({@link Kind#UNAVAILABLE}, with what is missing). {@value #ENV}{@code =rootless} asks for the
 * rootless mode even with the capability (no link is then ever made in the host's namespace).
 *
 * @param reason why this mode, in words for {@code doctor} and for a refused plan
 */
public record NetworkMode(Kind kind, String reason) {

    public enum Kind { HOST, ROOTLESS, UNAVAILABLE }

    public static final String ENV = "QEMU_COMPOSE_NETWORK_MODE";

    public boolean available() {
        return kind != Kind.UNAVAILABLE;
    }

    public boolean rootless() {
        return kind == Kind.ROOTLESS;
    }

    /**
     * @param netAdmin       whether this process holds CAP_NET_ADMIN
     * @param userNamespaces whether this user may make a user + network namespace (tried for real)
     * @param tun            {@code /dev/net/tun}
     * @param executable     whether a program is found (socat, nsenter, unshare)
     */
    public static NetworkMode detect(Map<String, String> environment, boolean netAdmin, BooleanSupplier userNamespaces,
            Path tun, Predicate<String> executable) {
        String asked = environment.getOrDefault(ENV, "auto");
        if (!List.of("auto", "host", "rootless").contains(asked)) {
            return new NetworkMode(Kind.UNAVAILABLE, ENV + "=" + asked + " is not a mode: use host, rootless or auto");
        }
        if (netAdmin && !asked.equals("rootless")) {
            return new NetworkMode(Kind.HOST, "host mode: this process holds CAP_NET_ADMIN, bridges live in the"
                    + " host's network namespace");
        }
        if (asked.equals("host")) {
            return new NetworkMode(Kind.UNAVAILABLE, "bridge networks need CAP_NET_ADMIN in host mode (" + ENV
                    + "=host), and this process lacks it: run qemu-compose as root (e.g. `sudo -E qemu-compose up`),"
                    + " or leave " + ENV + " unset for the rootless mode");
        }
        List<String> missing = rootlessMissing(userNamespaces, tun, executable);
        if (!missing.isEmpty()) {
            return new NetworkMode(Kind.UNAVAILABLE, "bridge networks need CAP_NET_ADMIN (root) or, for a normal"
                    + " user, the rootless mode, which needs " + String.join(", ", missing));
        }
        return new NetworkMode(Kind.ROOTLESS, "rootless mode: " + (netAdmin ? ENV + "=rootless" : "no CAP_NET_ADMIN")
                + ", so bridges live in a user + network namespace of the project's own");
    }

    static List<String> rootlessMissing(BooleanSupplier userNamespaces, Path tun, Predicate<String> executable) {
        List<String> missing = new ArrayList<>();
        for (String[] tool : new String[][] {{"socat", "socat"}, {"nsenter", "util-linux"}, {"unshare", "util-linux"}}) {
            if (!executable.test(tool[0])) {
                missing.add(tool[0] + " (Debian package " + tool[1] + ")");
            }
        }
        if (!Files.isReadable(tun) || !Files.isWritable(tun)) {
            missing.add(tun + " read-write for this user (stock Debian has mode 0666)");
        }
        if (missing.isEmpty() && !userNamespaces.getAsBoolean()) {
            missing.add("unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1)");
        }
        return missing;
    }

    /** The absolute path of {@code program} on PATH, or in the sbin folders. */
    public static Optional<Path> find(Map<String, String> environment, String program) {
        var dirs = new java.util.LinkedHashSet<>(List.of(environment.getOrDefault("PATH", "/usr/bin:/bin").split(":")));
        dirs.addAll(List.of("/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return Optional.of(Path.of(dir, program).toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /**
     * Makes a throwaway user + network namespace as the holder unit would and sets its loopback up
     * in it: that needs CAP_NET_ADMIN there, which some hosts withhold from unprivileged user
     * namespaces even where they let you make one (Ubuntu 24.04's AppArmor restriction).
     */
    public static boolean canMakeUserNamespaces(Map<String, String> environment) {
        Optional<Path> unshare = find(environment, "unshare");
        Optional<Path> ip = find(environment, "ip");
        if (unshare.isEmpty() || ip.isEmpty()) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(unshare.get().toString(), "--user", "--map-root-user", "--net",
                    ip.get().toString(), "link", "set", "lo", "up")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
