package io.qemucompose.driver.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether this process may create bridges and TAPs: {@code CAP_NET_ADMIN} in its effective set
 * ({@code CapEff} of {@code /proc/self/status}). Root has it; an ordinary user does not, and a
 * JVM cannot be given it with {@code setcap} in any reasonable way (the capability would go to
 * every Java program on the machine).
 */
public final class CapNetAdmin {

    /** linux/capability.h */
    public static final int CAP_NET_ADMIN = 12;

    public static final String MISSING_MESSAGE = "bridge networks need CAP_NET_ADMIN to create bridges and TAP"
            + " devices: run qemu-compose as root (e.g. with sudo) or from a process that holds CAP_NET_ADMIN;"
            + " without it, networks live in a namespace of the project's own (rootless mode), which needs what"
            + " `qemu-compose doctor` lists under 'rootless networks'";

    private CapNetAdmin() {
    }

    /** Whether the effective set in a {@code /proc/<pid>/status} text holds CAP_NET_ADMIN; empty when there is no CapEff line. */
    public static Optional<Boolean> inStatus(String procStatus) {
        return procStatus.lines()
                .filter(line -> line.startsWith("CapEff:"))
                .findFirst()
                .map(line -> new BigInteger(line.substring("CapEff:".length()).strip(), 16).testBit(CAP_NET_ADMIN));
    }

    /** Whether this process holds CAP_NET_ADMIN now. */
    public static boolean held() {
        return held(Path.of("/proc/self/status"));
    }

    static boolean held(Path procStatus) {
        try {
            return inStatus(Files.readString(procStatus))
                    .orElseThrow(() -> new IllegalStateException(procStatus + " has no CapEff line"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + procStatus + ": " + e.getMessage(), e);
        }
    }

    /** Throws {@link MissingCapabilityException} with {@link #MISSING_MESSAGE} unless the capability is held. */
    public static void require() {
        if (!held()) {
            throw new MissingCapabilityException(MISSING_MESSAGE);
        }
    }

    /** The process lacks CAP_NET_ADMIN; the message says what to do. */
    public static final class MissingCapabilityException extends RuntimeException {
        public MissingCapabilityException(String message) {
            super(message);
        }
    }
}
