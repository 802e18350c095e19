package io.qemucompose.cli.doctor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What rootless bridge networks (docs/networks.md, "Rootless mode") need from the host: user
 * namespaces an ordinary user may make, a {@code /dev/net/tun} this user can open read-write (0666
 * on stock Debian; the TAPs live in the project's namespace but are opened through it), and socat
 * for the NIC relays. Each is tried for real, not inferred from settings.
 */
final class RootlessNetworkCheck {

    static final String NAME = "rootless networks";

    private final BooleanSupplier userNamespaces;
    private final Path tun;
    private final ExecutableLookup executables;

    RootlessNetworkCheck(BooleanSupplier userNamespaces, Path tun, ExecutableLookup executables) {
        this.userNamespaces = userNamespaces;
        this.tun = tun;
        this.executables = executables;
    }

    /** {@link io.qemucompose.driver.network.NetworkMode#canMakeUserNamespaces}: the probe {@code up} trusts. */
    static boolean canMakeUserNamespaces() {
        return io.qemucompose.driver.network.NetworkMode.canMakeUserNamespaces(System.getenv());
    }

    Finding check() {
        List<String> missing = new ArrayList<>();
        if (!userNamespaces.getAsBoolean()) {
            missing.add("unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1)");
        }
        if (!Files.isReadable(tun) || !Files.isWritable(tun)) {
            missing.add(tun + " read-write for you (stock Debian has mode 0666)");
        }
        if (executables.find("socat").isEmpty()) {
            missing.add("socat (Debian package socat)");
        }
        String later = "; `up` uses it without CAP_NET_ADMIN (docs/networks.md, \"Rootless mode\")";
        return missing.isEmpty()
                ? Finding.ok(NAME, "possible here: user namespaces, " + tun + ", socat" + later)
                : Finding.warning(NAME, "needs " + String.join(", ", missing) + later);
    }
}
