package io.qemucompose.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The guest CPU architecture, from {@code platform:} as docker compose spells it
 * ({@code linux/amd64}, {@code linux/arm64}); default the host's.
 *
 * @param dockerName  the architecture part of a docker platform string
 * @param imageName   the architecture in cross-platform-actions image names ({@code freebsd-14.1-x86-64.qcow2})
 * @param hostNames   {@code os.arch} values of a JVM running on this architecture
 */
public enum GuestArch {
    X86_64("amd64", "x86-64", "qemu-system-x86_64", List.of("amd64", "x86_64")),
    AARCH64("arm64", "arm64", "qemu-system-aarch64", List.of("aarch64", "arm64"));

    private final String dockerName;
    private final String imageName;
    private final String qemuBinary;
    private final List<String> hostNames;

    GuestArch(String dockerName, String imageName, String qemuBinary, List<String> hostNames) {
        this.dockerName = dockerName;
        this.imageName = imageName;
        this.qemuBinary = qemuBinary;
        this.hostNames = hostNames;
    }

    public String dockerName() {
        return dockerName;
    }

    public String imageName() {
        return imageName;
    }

    /** The QEMU system emulator for this architecture. */
    public String qemuBinary() {
        return qemuBinary;
    }

    /** {@code linux/amd64}: the platform string, as {@code config} prints it. */
    public String platform() {
        return "linux/" + dockerName;
    }

    /** The architecture of the JVM's host, from {@code os.arch}; empty on one we have no profile for. */
    public static Optional<GuestArch> ofHost(String osArch) {
        String a = osArch.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(g -> g.hostNames.contains(a)).findFirst();
    }

    public static GuestArch host() {
        return ofHost(System.getProperty("os.arch")).orElse(X86_64);
    }

    /**
     * Docker's platform spelling: {@code linux/amd64}, {@code linux/arm64} (also {@code linux/arm64/v8},
     * {@code linux/x86_64}, {@code linux/aarch64}). The OS part is docker's and always {@code linux};
     * the guest OS is {@code os:}.
     */
    public static Optional<GuestArch> parsePlatform(String text) {
        String[] parts = text.strip().toLowerCase(Locale.ROOT).split("/");
        if (parts.length < 2 || parts.length > 3 || !parts[0].equals("linux")
                || (parts.length == 3 && !(parts[1].equals("arm64") && parts[2].equals("v8")))) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(g -> g.dockerName.equals(parts[1]) || g.hostNames.contains(parts[1]))
                .findFirst();
    }

    public static List<String> platforms() {
        return Arrays.stream(values()).map(GuestArch::platform).toList();
    }
}
