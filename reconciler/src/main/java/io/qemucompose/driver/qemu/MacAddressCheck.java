package io.qemucompose.driver.qemu;

import java.util.Objects;

/** The one check of a NIC's MAC, shared by every {@link NetworkAttachment}. */
final class MacAddressCheck {

    private MacAddressCheck() {
    }

    static void requireUnicast(String mac) {
        Objects.requireNonNull(mac, "mac");
        if (!mac.matches("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}")) {
            throw new IllegalArgumentException("MAC address '" + mac + "' is not of the form 52:54:00:12:34:56");
        }
        if ((Integer.parseInt(mac.substring(0, 2), 16) & 1) != 0) {
            throw new IllegalArgumentException("MAC address '" + mac + "' is a multicast address");
        }
    }
}
