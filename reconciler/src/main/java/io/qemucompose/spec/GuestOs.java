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
    LINUX(true),
    FREEBSD(false),
    OPENBSD(false),
    NETBSD(false),
    HAIKU(false),
    OMNIOS(false);

    private final boolean cloudInit;

    GuestOs(boolean cloudInit) {
        this.cloudInit = cloudInit;
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
