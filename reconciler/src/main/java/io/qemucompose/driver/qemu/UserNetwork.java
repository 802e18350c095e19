package io.qemucompose.driver.qemu;

import java.util.List;
import java.util.Map;

/**
 * QEMU user-mode networking (slirp): the guest reaches out through the host's stack, and the host
 * reaches the guest only through forwards. SSH is always forwarded from {@code 127.0.0.1:sshHostPort}.
 *
 * @param restrict {@code restrict=on}: the guest cannot send anything outside the virtual network
 *                 (no internet, no host services), while host forwards still work. See
 *                 {@link #RESTRICT_ENV} for the environment knob tests use.
 */
public record UserNetwork(String mac, int sshHostPort, List<HostForward> forwards, boolean restrict)
        implements NetworkAttachment {

    /**
     * Set to {@code true} to isolate every user-mode network from the outside world. Tests and CI set it,
     * so that no guest ever reaches the internet or the host's LAN; users normally leave it unset.
     */
    public static final String RESTRICT_ENV = "QEMU_COMPOSE_USERNET_RESTRICT";

    public UserNetwork {
        MacAddressCheck.requireUnicast(mac);
        if (sshHostPort < 1 || sshHostPort > 65535) {
            throw new IllegalArgumentException("SSH host port " + sshHostPort + " is outside 1-65535");
        }
        forwards = List.copyOf(forwards);
    }

    /** Reads {@link #RESTRICT_ENV} from an environment map (pass {@code System.getenv()}). */
    public static boolean restrictFromEnvironment(Map<String, String> environment) {
        return Boolean.parseBoolean(environment.getOrDefault(RESTRICT_ENV, "false").trim());
    }
}
