package io.qemucompose.driver.qemu;

import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalInt;

/** Where QEMU serves a VM's VNC display: never beyond loopback. */
public sealed interface VncDisplay {

    /** True when QEMU must refuse clients until a password is set over QMP ({@code set_password}). */
    boolean password();

    /** A Unix socket (its folder is the user's only). */
    record UnixSocket(Path socket, boolean password) implements VncDisplay {
        public UnixSocket {
            socket = Objects.requireNonNull(socket, "socket").toAbsolutePath().normalize();
        }
    }

    /** 127.0.0.1, display {@code N} (port 5900+N), or the first free one of 0..99 when empty. */
    record Loopback(OptionalInt display, boolean password) implements VncDisplay {
        public static final int LAST_DISPLAY = 99;
    }
}
