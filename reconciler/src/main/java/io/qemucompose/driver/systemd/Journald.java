package io.qemucompose.driver.systemd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The host's systemd-journald as a unit's processes reach it: its stream socket, which
 * {@code StandardOutput=journal} and {@code systemd-cat} connect to. Many hosts run none (containers,
 * machines where systemd is not PID 1); then {@code journalctl} has nothing to show and the log
 * files under {@code .qemu-compose/<vm>/} are the only record.
 *
 * @param stdoutSocket the socket that must exist for journald to take log streams
 */
public record Journald(Path stdoutSocket) {

    public static final Path STDOUT_SOCKET = Path.of("/run/systemd/journal/stdout");
    /**
     * {@code auto} (default): copy VM output to the journal when {@link #STDOUT_SOCKET} exists here;
     * {@code on}: always add the copy and let the unit look for journald itself (for a CLI that runs
     * in another mount namespace than the user manager: a container, a toolbox, the test world);
     * {@code off}: never.
     */
    public static final String ENV = "QEMU_COMPOSE_JOURNAL";

    public static Journald host() {
        return new Journald(STDOUT_SOCKET);
    }

    public boolean running() {
        return Files.exists(stdoutSocket);
    }

    /** Whether VM units copy their output to the journal, after {@link #ENV} and the socket. */
    public boolean forwardingWanted(Map<String, String> environment) {
        return switch (environment.getOrDefault(ENV, "auto").strip().toLowerCase(Locale.ROOT)) {
            case "off", "no", "false", "0" -> false;
            case "on", "yes", "true", "1" -> true;
            default -> running();
        };
    }

    /**
     * The command a user types to follow a unit's journal: {@code journalctl --user -u}; as root,
     * {@code --user-unit} instead, because journald keeps root's entries in the system journal and
     * {@code journalctl --user} (systemd 252) opens only the {@code user-<uid>} files, which root never has.
     */
    public static String followCommand(String unit, boolean root) {
        return (root ? "journalctl --user-unit " : "journalctl --user -u ") + unit + " -f";
    }
}
