package io.qemucompose.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The guest operating system a VM runs ({@code os:} in the compose file). It selects the device
 * profile together with the architecture, and says whether the guest takes a cloud-init seed and
 * 9p shares: only the Linux cloud images do.
 */
public enum GuestOs {
    LINUX(true, "sudo systemctl poweroff", GuestArch.X86_64, GuestArch.AARCH64),
    FREEBSD(false, "sudo shutdown -p now", GuestArch.X86_64, GuestArch.AARCH64),
    OPENBSD(false, "sudo shutdown -p now", GuestArch.X86_64, GuestArch.AARCH64),
    NETBSD(false, "sudo shutdown -p now", GuestArch.X86_64, GuestArch.AARCH64),
    HAIKU(false, "shutdown", GuestArch.X86_64),
    OMNIOS(false, "sudo shutdown -y -i5 -g0", GuestArch.X86_64);

    private final boolean cloudInit;
    private final String poweroffCommand;
    private final List<GuestArch> architectures;

    GuestOs(boolean cloudInit, String poweroffCommand, GuestArch... architectures) {
        this.cloudInit = cloudInit;
        this.poweroffCommand = poweroffCommand;
        this.architectures = List.of(architectures);
    }

    /** How the stop chain powers the guest off over SSH once ACPI did not. */
    public String poweroffCommand() {
        return poweroffCommand;
    }

    /** The architectures a device profile exists for (qvm's drivers: Haiku and OmniOS are x86-64 only). */
    public List<GuestArch> architectures() {
        return architectures;
    }

    /** The name as written in the compose file and in image names ({@code freebsd}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the guest reads a NoCloud seed (user, key, mounts, provisioning) and mounts 9p shares. */
    public boolean cloudInit() {
        return cloudInit;
    }

    public static Optional<GuestOs> parse(String text) {
        return Arrays.stream(values()).filter(o -> o.id().equals(text)).findFirst();
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(GuestOs::id).toList();
    }
}
