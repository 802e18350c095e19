package io.qemucompose.spec;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A VM's {@code vnc:} display. Never on an address beyond loopback: a Unix socket in the VM folder,
 * or 127.0.0.1 on display {@code N} (TCP port 5900+N), or the first free display ({@code auto}).
 *
 * @param display  empty for the Unix socket; else the display number, or empty inside for auto
 * @param password VNC authentication (at most 8 characters: RFB's DES challenge uses 8 bytes and
 *                 QEMU would silently cut a longer one); set over QMP, never on QEMU's command line
 */
public record VncSpec(Optional<OptionalInt> display, Optional<String> password) {

    public static final int MAX_PASSWORD = 8;
    public static final int MAX_DISPLAY = 99;

    public static VncSpec unixSocket(Optional<String> password) {
        return new VncSpec(Optional.empty(), password);
    }

    public boolean onUnixSocket() {
        return display.isEmpty();
    }

    /** How the plan and {@code config} name it, without the password. */
    public String describe() {
        String where = display.map(d -> d.isPresent() ? "127.0.0.1:" + d.getAsInt() : "127.0.0.1:auto")
                .orElse("unix socket");
        return password.isPresent() ? where + " (password)" : where;
    }
}
