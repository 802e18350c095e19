package io.qemucompose.driver.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who is connected to a listening Unix socket, read from {@code /proc/net/unix}. On Linux a socket the
 * server accepted carries the listener's path and state 03 (connected); a client still waiting in the
 * listen backlog shows as state 02 (connecting) with inode 0. QEMU's chardev servers accept one client
 * and leave the rest in the backlog, silently.
 */
final class UnixSocketClients {

    private static final Path PROC_NET_UNIX = Path.of("/proc/net/unix");

    record Counts(int accepted, int waiting) {
    }

    private UnixSocketClients() {
    }

    static Counts of(Path listenerPath) throws IOException {
        return parse(Files.readString(PROC_NET_UNIX), listenerPath.toString());
    }

    /** Parses {@code Num RefCount Protocol Flags Type St Inode Path}; the path may contain spaces. */
    static Counts parse(String procNetUnix, String listenerPath) {
        int accepted = 0;
        int waiting = 0;
        for (String line : procNetUnix.split("\n")) {
            String[] fields = line.trim().split("\\s+", 8);
            if (fields.length < 8 || !fields[7].equals(listenerPath)) {
                continue;
            }
            switch (fields[5]) {
                case "03" -> accepted++;
                case "02" -> waiting++;
                default -> { } // 01: the listener itself
            }
        }
        return new Counts(accepted, waiting);
    }
}
