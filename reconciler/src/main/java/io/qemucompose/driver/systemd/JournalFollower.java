package io.qemucompose.driver.systemd;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies a unit's log files to the journal as they grow, from inside the unit: journald names the
 * unit of an entry ({@code _SYSTEMD_USER_UNIT}) after the sender's cgroup, so only a process of the
 * unit itself makes {@code journalctl --user -u <unit>} show the lines. The files stay what they are
 * (the unit's {@code append:} file, QEMU's console {@code logfile=}), so everything reading them is
 * unchanged.
 *
 * <p>{@link #start()} is an {@code ExecStartPre=}: before the main process runs it notes each file's
 * size (only lines written from now on are sent; the files keep earlier runs) and leaves, per file,
 * {@code tail -F | sed | systemd-cat -t <identifier> sh -c 'cat; sleep 1'} in the background (the
 * sender stays a second after its last line, see {@link #SENDER_GRACE_SECONDS}), plus a {@code sleep} whose
 * life tells the tails to go on ({@code tail --pid}). {@link #finish()} is an {@code ExecStopPost=}:
 * it runs once the main process is gone, while the followers still live (KillMode=mixed signals only
 * the main process until then), ends the {@code sleep}, and waits until each tail has sent what the
 * main process wrote last (QEMU's "terminating on signal" line) and exited; systemd kills whatever
 * is left after that. Both ignore their exit status: a VM never fails for its log copy.
 *
 * <p>The lines go through {@code sed}: a console's CR before LF, terminal escape sequences and other
 * control characters are dropped, because journalctl shows a message with control characters as
 * "[blob data]". Every user string (paths with folder names, identifiers) is a positional argument
 * of {@code sh -c}, never part of the script's text.
 *
 * @param journalSocket journald's stream socket: without it (journald stopped since) start() does nothing
 * @param pidFile the followers' PIDs, written by start() and read by finish()
 * @param logs    the files to copy, each with its journal identifier ({@code SYSLOG_IDENTIFIER})
 */
public record JournalFollower(Path journalSocket, Path pidFile, List<Log> logs) {

    public record Log(Path file, String identifier) {
    }

    static final String SHELL = "/bin/sh";
    /** The poll interval of tail --pid, in seconds: how long a stop may wait for the last lines. */
    static final String PID_POLL_SECONDS = "0.25";
    /**
     * How long the sender outlives its last line, in seconds. journald reads the sender's cgroup (and
     * so the unit) from /proc when it takes a stream's first line; a sender already gone leaves the
     * line without _SYSTEMD_USER_UNIT. QEMU often writes its first line as it exits ("terminating on
     * signal 15"), so without this pause that line could miss journalctl -u under load.
     */
    static final String SENDER_GRACE_SECONDS = "1";

    // Sizes are taken before the main process runs; the followers run under one subshell that
    // waits for them, so each is reaped the moment it ends (tail --pid and finish() see a PID go,
    // not a zombie); the PIDs come back through $(...) before this command ends.
    private static final String START = """
            socket=$1; pidfile=$2; shift 2
            rm -f -- "$pidfile"
            [ -S "$socket" ] || exit 0
            pairs=$(($# / 2))
            while [ "$pairs" -gt 0 ]; do
              size=$(stat -c %%s -- "$1" 2>/dev/null) || size=0
              set -- "$@" "$1" "$2" "$size"
              shift 2
              pairs=$((pairs - 1))
            done
            pids=$(
              (
                sleep infinity </dev/null >/dev/null 2>&1 &
                keep=$!
                pids=$keep
                while [ $# -ge 3 ]; do
                  { tail -F -q -s %s --pid="$keep" -c +$(($3 + 1)) -- "$1" \\
                      | sed -u -e 's/\\r$//' -e 's/\\x1b\\[[0-?]*[ -/]*[@-~]//g' -e 's/[\\x01-\\x08\\x0b-\\x1f\\x7f]//g' \\
                      | systemd-cat --identifier="$2" /bin/sh -c 'cat; sleep %s'; } </dev/null >/dev/null 2>&1 &
                  pids="$pids $!"
                  shift 3
                done
                echo "$pids"
                exec >/dev/null
                wait
              ) 2>/dev/null &
            )
            echo "$pids" > "$pidfile"
            """.formatted(PID_POLL_SECONDS, SENDER_GRACE_SECONDS);

    private static final String FINISH = """
            [ -f "$1" ] || exit 0
            read -r keep pids < "$1"
            rm -f -- "$1"
            # only a process of this unit's own cgroup: never a PID reused by someone else since
            [ -n "$keep" ] && [ "$(cat "/proc/$keep/cgroup" 2>/dev/null)" = "$(cat /proc/self/cgroup)" ] || exit 0
            kill "$keep"
            for p in $pids; do tail --pid="$p" -s 0.1 -f /dev/null; done
            """;

    public JournalFollower {
        logs = List.copyOf(logs);
        if (logs.isEmpty()) {
            throw new IllegalArgumentException("nothing to follow");
        }
    }

    public ControlCommand start() {
        var argv = new ArrayList<>(List.of(SHELL, "-c", START, "journal-follower", journalSocket.toString(),
                pidFile.toAbsolutePath().toString()));
        for (Log log : logs) {
            argv.add(log.file().toAbsolutePath().toString());
            argv.add(log.identifier());
        }
        return new ControlCommand(argv, true);
    }

    public ControlCommand finish() {
        return new ControlCommand(List.of(SHELL, "-c", FINISH, "journal-follower", pidFile.toAbsolutePath().toString()), true);
    }
}
