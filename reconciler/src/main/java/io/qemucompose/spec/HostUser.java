package io.qemucompose.spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The user qemu-compose runs as: the real uid and primary gid of this process. By default a guest's
 * login user gets these ids ({@link GuestUid}), so files in bind mounts keep their owner both ways.
 */
public record HostUser(int uid, int gid) {

    /** Running as root: guests keep their image's default uid (a guest login user cannot be uid 0). */
    public static final HostUser ROOT = new HostUser(0, 0);

    public boolean isRoot() {
        return uid == 0;
    }

    /** This process's user, from {@code /proc/self/status}. */
    public static HostUser current() {
        Path status = Path.of("/proc/self/status");
        try {
            return fromStatus(Files.readString(status));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + status, e);
        }
    }

    /** The real ids (first of the four numbers) of the {@code Uid:} and {@code Gid:} lines. */
    static HostUser fromStatus(String procStatus) {
        return new HostUser(realId(procStatus, "Uid:"), realId(procStatus, "Gid:"));
    }

    private static int realId(String procStatus, String key) {
        return procStatus.lines()
                .filter(line -> line.startsWith(key))
                .findFirst()
                .map(line -> Integer.parseUnsignedInt(line.substring(key.length()).strip().split("\\s+")[0]))
                .orElseThrow(() -> new IllegalStateException("/proc/self/status has no " + key + " line"));
    }
}
