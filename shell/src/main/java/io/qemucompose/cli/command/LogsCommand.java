package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.cli.UserFacingException;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.Replica;
import io.qemucompose.state.ProjectLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qemu-compose logs [vm...]}: each VM's serial console log and its unit's log (QEMU's own
 * messages), both kept under {@code .qemu-compose/<vm>/}. These files are the record on every host;
 * where journald runs, the unit also copies their new lines to the journal (driver.systemd.JournalFollower),
 * but this command never depends on it. The
 * console log is raw bytes from the guest, so lines carry no time of their own: {@code --since}
 * skips files not written since then, and {@code --timestamps} stamps lines with the time they were
 * read while following (history lines get the file's last-modified time). Following waits on
 * inotify (WatchService), never polls.
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Show VMs' serial console and unit logs; --follow follows.",
        footer = {"", "The logs are console.log and unit.log under .qemu-compose/<vm>/, on any host.",
                "Where systemd-journald runs, each VM's unit also sends their new lines to the",
                "journal:",
                "  journalctl --user -u qemu-compose-<project>-<vm> -f",
                "  journalctl --user-unit qemu-compose-<project>-<vm> -f      (as root)",
                "journalctl needs journald: without it (no /run/systemd/journal/stdout) it shows",
                "nothing, and this command is the way. QEMU_COMPOSE_JOURNAL=off keeps VM output",
                "out of the journal."})
public final class LogsCommand implements Callable<Integer> {

    public enum Source { all, console, unit }

    private final CommandEnvironment env;
    private final Clock clock = Clock.systemUTC();

    @Mixin
    private ProjectLoading project;

    @Parameters(paramLabel = "VM", arity = "0..*", description = "Only these VMs (default: all).")
    private List<String> vms = new ArrayList<>();

    /** Not {@code -f}: that is the global compose-file option, inherited by every command. */
    @Option(names = "--follow", description = "Keep printing new lines as they are written (Ctrl+C ends).")
    private boolean follow;

    @Option(names = {"-n", "--tail"}, paramLabel = "N", defaultValue = "-1",
            description = "Only the last N lines of each log (default: all).")
    private int tail;

    @Option(names = "--since", paramLabel = "TIME",
            description = "Skip logs not written since TIME: a duration (10m, 2h, 30s) or an ISO instant.")
    private String since;

    @Option(names = {"-t", "--timestamps"}, description = "Prefix lines with a UTC time (see the command's notes).")
    private boolean timestamps;

    @Option(names = "--source", defaultValue = "all", description = "Which logs: ${COMPLETION-CANDIDATES}.")
    private Source source;

    public LogsCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        ComposeProject compose = project.load(vms);
        List<String> selected = vms.isEmpty() ? List.copyOf(compose.vms().keySet())
                : Replica.expand(compose.vms().values(), vms);
        selected.forEach(v -> InspectCommand.requireVm(compose, v));
        Instant from = since == null ? null : parseSince(since, clock.instant());
        ProjectLayout layout = new ProjectLayout(compose.projectDir());
        List<LogFile> files = new ArrayList<>();
        for (String vm : selected) {
            String prefix = selected.size() > 1 ? vm + " | " : "";
            if (source != Source.console) {
                files.add(new LogFile(layout.unitLog(vm), prefix + (source == Source.all ? "[qemu] " : "")));
            }
            if (source != Source.unit) {
                files.add(new LogFile(layout.consoleLog(vm), prefix));
            }
        }
        for (LogFile f : files) {
            if (from == null || f.modifiedSince(from)) {
                for (String line : f.history(tail)) {
                    print(f, line, f.lastModified());
                }
            }
            f.skipToEnd();
        }
        env.out().flush();
        if (follow) {
            follow(files);
        }
        return ExitCode.OK;
    }

    /** Waits on inotify for the VM folders; on each event prints what was appended. Ends by interrupt (Ctrl+C). */
    private void follow(List<LogFile> files) throws IOException, InterruptedException {
        Path anyDir = files.getFirst().path().getParent();
        try (WatchService watch = anyDir.getFileSystem().newWatchService()) {
            Map<WatchKey, Path> keys = new HashMap<>();
            for (LogFile f : files) {
                Path dir = f.path().getParent();
                if (keys.containsValue(dir)) {
                    continue;
                }
                if (!java.nio.file.Files.isDirectory(dir)) {
                    // a read-only command creates nothing: a VM never created has no folder to watch yet
                    env.err().println(dir.getFileName() + ": no logs yet (never created); not followed");
                    continue;
                }
                keys.put(dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY), dir);
            }
            if (keys.isEmpty()) {
                return;
            }
            while (true) {
                WatchKey key = watch.take();
                key.pollEvents(); // which file changed matters little: reading an unchanged file costs one stat
                for (LogFile f : files) {
                    if (f.path().getParent().equals(keys.get(key))) {
                        Instant now = clock.instant();
                        for (String line : f.readNew()) {
                            print(f, line, now);
                        }
                    }
                }
                env.out().flush();
                key.reset();
            }
        }
    }

    private void print(LogFile f, String line, Instant at) {
        env.out().println((timestamps ? at + " " : "") + f.prefix() + line);
    }

    /** {@code 10m}, {@code 2h}, {@code 30s}, {@code 1d}, or an ISO-8601 instant. */
    static Instant parseSince(String text, Instant now) {
        var m = java.util.regex.Pattern.compile("(\\d+)([smhd])").matcher(text.strip());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(d);
        }
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new UserFacingException("--since takes a duration like 10m, 2h, 30s, 1d or an instant like "
                    + "2026-01-31T12:00:00Z, not '" + text + "'", ExitCode.USAGE, e);
        }
    }
}
