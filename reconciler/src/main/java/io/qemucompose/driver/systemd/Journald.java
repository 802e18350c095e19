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
    /** {@code off} keeps VM output out of the journal even where journald runs. */
    public static final String ENV = "QEMU_COMPOSE_JOURNAL";

    public static Journald host() {
        return new Journald(STDOUT_SOCKET);
    }

    public boolean running() {
        return Files.exists(stdoutSocket);
    }

    /** Whether VM units copy their output to the journal: journald runs and {@link #ENV} is not {@code off}. */
    public boolean forwardingWanted(Map<String, String> environment) {
        String setting = environment.getOrDefault(ENV, "").strip().toLowerCase(Locale.ROOT);
        return !setting.equals("off") && !setting.equals("no") && !setting.equals("false") && running();
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
