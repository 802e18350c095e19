package io.qemucompose.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Bind mounts that hand the guest more than a project's files, refused at load time. A compose
 * file (or a repository it came in) may be someone else's, and a VM's root can read and, for a
 * writable mount, change whatever it is given.
 *
 * <p>Refused <b>sources</b> (after {@code ~}, {@code ..} and symlinks are resolved, so
 * {@code ./keys -> ~/.ssh} is caught too): the host's {@code /etc}, {@code /root}, {@code /boot},
 * {@code /proc}, {@code /sys}, {@code /dev}, {@code /run}, {@code /var/run}, and the credential
 * folders of your home ({@code .ssh}, {@code .gnupg}, {@code .aws}, {@code .kube},
 * {@code .config/gcloud}, {@code .docker}, {@code .password-store}, {@code .local/share/keyrings}),
 * anything inside them, and any folder that contains one of them ({@code /}, {@code /home},
 * your home itself). {@code ../} paths are otherwise allowed, as in docker compose.
 *
 * <p>Refused <b>targets</b> in the guest: {@code /} and {@code /proc}, {@code /sys}, {@code /dev},
 * {@code /run} or below (the kernel's and systemd's), and exactly {@code /boot}, {@code /etc},
 * {@code /usr}, {@code /bin}, {@code /sbin}, {@code /lib}, {@code /lib64}, {@code /var},
 * {@code /home} (a mount there hides the guest's own system or its user's SSH key).
 *
 * <p>The opt-in is {@value #ALLOW_VARIABLE}{@code =true} in the environment of the command: not a
 * key of the file and not a {@code .env} line, since those come with the content this guards against.
 */
final class BindMountPolicy {

    static final String ALLOW_VARIABLE = "QEMU_COMPOSE_ALLOW_DANGEROUS_BINDS";

    private static final List<String> SYSTEM_SOURCES =
            List.of("/etc", "/root", "/boot", "/proc", "/sys", "/dev", "/run", "/var/run");
    private static final List<String> HOME_CREDENTIALS = List.of(".ssh", ".gnupg", ".aws", ".kube", ".config/gcloud",
            ".docker", ".password-store", ".local/share/keyrings");
    private static final List<String> TARGET_TREES = List.of("/proc", "/sys", "/dev", "/run");
    private static final Set<String> TARGETS_EXACT =
            Set.of("/", "/boot", "/etc", "/usr", "/bin", "/sbin", "/lib", "/lib64", "/var", "/home");

    private final List<Path> protectedSources;

    /** @param homes the home folders whose credential folders are protected (HOME, and the account's real home) */
    BindMountPolicy(Set<Path> homes) {
        List<Path> sources = new ArrayList<>();
        SYSTEM_SOURCES.forEach(s -> sources.add(Path.of(s)));
        for (Path home : homes) {
            HOME_CREDENTIALS.forEach(c -> sources.add(home.toAbsolutePath().normalize().resolve(c)));
        }
        this.protectedSources = List.copyOf(sources);
    }

    static BindMountPolicy of(String envHome) {
        Set<Path> homes = new LinkedHashSet<>();
        if (envHome != null && envHome.startsWith("/")) {
            homes.add(Path.of(envHome));
        }
        homes.add(Path.of(System.getProperty("user.home")));
        return new BindMountPolicy(homes);
    }

    /** Why a bind of {@code source} is refused, if it is. */
    Optional<String> sourceProblem(Path source) {
        for (Path candidate : forms(source)) {
            for (Path p : protectedSources) {
                if (candidate.startsWith(p)) {
                    return Optional.of("bind mount of " + candidate + " is refused: it is, or is inside, " + p
                            + (SYSTEM_SOURCES.contains(p.toString()) ? " (host system files)" : " (credentials)"));
                }
                if (p.startsWith(candidate)) {
                    return Optional.of("bind mount of " + candidate + " is refused: it holds credential folders or"
                            + " host system files (" + p + ")");
                }
            }
        }
        return Optional.empty();
    }

    /** Why a mount onto {@code target} in the guest is refused, if it is. */
    static Optional<String> targetProblem(String target) {
        String t = target.length() > 1 && target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
        Path p = Path.of(t).normalize();
        boolean refused = TARGETS_EXACT.contains(p.toString())
                || TARGET_TREES.stream().anyMatch(tree -> p.startsWith(Path.of(tree)));
        return refused ? Optional.of("target " + p + " is refused: a mount there hides the guest's own system files")
                : Optional.empty();
    }

    static String optIn() {
        return "; to allow it, set " + ALLOW_VARIABLE + "=true in your environment (a .env file cannot)";
    }

    /** The path as written and, when it exists, with every symlink resolved. */
    private static List<Path> forms(Path source) {
        Path normal = source.toAbsolutePath().normalize();
        List<Path> forms = new ArrayList<>(List.of(normal));
        try {
            if (Files.exists(normal)) {
                Path real = normal.toRealPath();
                if (!real.equals(normal)) {
                    forms.add(real);
                }
            } else {
                // a path below a symlinked folder that does not exist yet: resolve the part that exists
                Path existing = normal.getParent();
                while (existing != null && !Files.exists(existing)) {
                    existing = existing.getParent();
                }
                if (existing != null) {
                    Path real = existing.toRealPath().resolve(existing.relativize(normal));
                    if (!real.equals(normal)) {
                        forms.add(real);
                    }
                }
            }
        } catch (IOException e) {
            // unreadable: judged by the path as written
        }
        return forms;
    }
}
