package io.qemucompose.driver.qemu;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * 9p shares and the guest clock around a saved state, through the guest agent (programs run with
 * {@code guest-exec}: argv words, no shell, so no path needs quoting).
 *
 * <p>QEMU refuses to migrate or snapshot while a 9p export is mounted in the guest ("Migration is
 * disabled when VirtFS export path ... is mounted"), so they are unmounted first and mounted again
 * once the guest runs. And a guest that slept in a file wakes with the time it went to sleep.
 */
public final class GuestShareMounts {

    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(30);

    /** One share to mount again: {@code mount -t 9p -o OPTIONS TAG TARGET}. */
    public record Mount(String tag, String target, String options) {
    }

    private final GuestAgentClient agent;

    public GuestShareMounts(GuestAgentClient agent) {
        this.agent = agent;
    }

    /** The mount points of the 9p file systems mounted in the guest now, deepest first. */
    public List<String> mounted9p() {
        GuestAgentClient.ExecResult r = agent.exec(List.of("findmnt", "--raw", "--noheadings", "--types", "9p",
                "--output", "TARGET"), EXEC_TIMEOUT);
        if (r.exitCode() > 1) { // 1: nothing mounted
            throw new GuestAgentException("findmnt failed in the guest: " + r.stderr().strip());
        }
        List<String> out = new ArrayList<>();
        r.stdout().lines().filter(l -> !l.isBlank()).map(GuestShareMounts::unescape).forEach(out::add);
        out.sort((a, b) -> b.length() - a.length());
        return out;
    }

    /**
     * Unmounts every 9p file system; if one cannot be (busy), mounts the ones already done again
     * and throws with the guest's words.
     */
    public List<String> unmountAll(List<Mount> remountOnFailure) {
        List<String> done = new ArrayList<>();
        for (String target : mounted9p()) {
            GuestAgentClient.ExecResult r = agent.exec(List.of("umount", target), EXEC_TIMEOUT);
            if (r.exitCode() != 0) {
                mountAll(remountOnFailure.stream().filter(m -> done.contains(m.target())).toList());
                throw new GuestAgentException("the 9p share at " + target + " cannot be unmounted in the guest ("
                        + r.stderr().strip() + "); QEMU cannot save a VM while a share is mounted");
            }
            done.add(target);
        }
        return done;
    }

    /** Mounts the shares (those already mounted are left as they are); returns the problems, empty when all worked. */
    public List<String> mountAll(List<Mount> mounts) {
        List<String> problems = new ArrayList<>();
        List<String> mounted = mounted9p();
        for (Mount m : mounts) {
            if (mounted.contains(m.target())) {
                continue;
            }
            GuestAgentClient.ExecResult r = agent.exec(List.of("mount", "-t", "9p", "-o", m.options(), m.tag(),
                    m.target()), EXEC_TIMEOUT);
            if (r.exitCode() != 0) {
                problems.add(m.target() + ": " + r.stderr().strip());
            }
        }
        return problems;
    }

    /** Sets the guest's clock to {@code now} ({@code guest-set-time}, which also writes the RTC). */
    public void setClock(Instant now) {
        long nanos = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
        agent.call("guest-set-time", Map.of("time", nanos), EXEC_TIMEOUT);
    }

    /** findmnt --raw writes a space as \x20 and a backslash as \x5c. */
    static String unescape(String raw) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 3 < raw.length() && raw.charAt(i + 1) == 'x') {
                sb.append((char) Integer.parseInt(raw.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
