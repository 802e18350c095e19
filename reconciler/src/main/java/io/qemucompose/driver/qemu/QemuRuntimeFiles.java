package io.qemucompose.driver.qemu;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The files a running QEMU owns in a VM's runtime folder. The paths are given to QEMU as absolute
 * paths: tools that look a socket up in {@code /proc/net/unix} compare against what QEMU bound.
 */
public record QemuRuntimeFiles(Path qmpSocket, Path consoleSocket, Path consoleLog, Path guestAgentSocket,
                               Path pidFile, Path qmpEventsSocket) {

    /**
     * A Unix socket path must fit {@code sun_path} (108 bytes with its NUL). QEMU and Java both refuse
     * longer ones, so a deep project folder is reported before QEMU starts.
     */
    public static final int MAX_SOCKET_PATH_BYTES = 107;

    public QemuRuntimeFiles {
        qmpSocket = absolute(qmpSocket, "qmpSocket");
        consoleSocket = absolute(consoleSocket, "consoleSocket");
        consoleLog = absolute(consoleLog, "consoleLog");
        guestAgentSocket = absolute(guestAgentSocket, "guestAgentSocket");
        pidFile = absolute(pidFile, "pidFile");
        qmpEventsSocket = absolute(qmpEventsSocket, "qmpEventsSocket");
        for (Path socket : new Path[] {qmpSocket, consoleSocket, guestAgentSocket, qmpEventsSocket}) {
            int bytes = socket.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes > MAX_SOCKET_PATH_BYTES) {
                throw new IllegalArgumentException("socket path " + socket + " is " + bytes
                        + " bytes long; Unix sockets allow at most " + MAX_SOCKET_PATH_BYTES
                        + " (move the project to a shorter folder)");
            }
        }
    }

    /** The events monitor beside the QMP socket ({@code qmp-events.sock}). */
    public QemuRuntimeFiles(Path qmpSocket, Path consoleSocket, Path consoleLog, Path guestAgentSocket, Path pidFile) {
        this(qmpSocket, consoleSocket, consoleLog, guestAgentSocket, pidFile,
                qmpSocket.toAbsolutePath().resolveSibling("qmp-events.sock"));
    }

    /** The layout of a VM folder ({@code .qemu-compose/<vm>/}): qmp.sock, console.sock, console.log, qga.sock, qemu.pid. */
    public static QemuRuntimeFiles in(Path vmDirectory) {
        return new QemuRuntimeFiles(
                vmDirectory.resolve("qmp.sock"),
                vmDirectory.resolve("console.sock"),
                vmDirectory.resolve("console.log"),
                vmDirectory.resolve("qga.sock"),
                vmDirectory.resolve("qemu.pid"));
    }

    private static Path absolute(Path path, String what) {
        return Objects.requireNonNull(path, what).toAbsolutePath().normalize();
    }
}
