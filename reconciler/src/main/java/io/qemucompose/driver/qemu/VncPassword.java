package io.qemucompose.driver.qemu;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Sets a VNC password through QMP. QEMU started with {@code password=on} refuses every client until
 * then, so a VM is never reachable without its password, and the secret never sits in QEMU's argv.
 */
public final class VncPassword {

    private VncPassword() {}

    public static void set(Path qmpSocket, String password, Duration timeout) {
        try (QmpClient qmp = QmpClient.connect(qmpSocket, timeout)) {
            // set_password is the name from QEMU 1.0 to today's; change-vnc-password does the same for VNC only
            qmp.execute("set_password", Map.of("protocol", "vnc", "password", password), timeout);
        }
    }
}
