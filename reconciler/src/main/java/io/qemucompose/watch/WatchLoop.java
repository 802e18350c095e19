package io.qemucompose.watch;

import io.qemucompose.driver.Drivers;
import io.qemucompose.driver.systemd.SystemdUserManager;
import io.qemucompose.driver.systemd.UnitManager;
import io.qemucompose.driver.systemd.UnitStatus;
import io.qemucompose.spec.ComposeFileException;
import io.qemucompose.spec.ComposeFiles;
import io.qemucompose.spec.ComposeLoader;
import io.qemucompose.spec.ProfileRequest;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.ComposeSource;
import io.qemucompose.spec.Names;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.ProjectLockedException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The watcher, shared by {@code watch} in the foreground and the background reconciler unit:
 * file events, unit signals, a resync timer and retry timers all land in one queue; a
 * {@link Debounce} turns each burst into one {@link WatchPass}. Passes run one at a time on the
 * thread that calls {@link #run()}; {@link #stop()} ends the loop after the current pass.
 */
public final class WatchLoop implements Runnable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final long BUSY_RETRY_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final WatchOptions options;
    private final Drivers drivers;
    private final Consumer<String> out;
    private final BlockingQueue<WatchTrigger> queue = new LinkedBlockingQueue<>();
    private final WatchPass.Memory memory;
    private final Map<String, RestartRule.Exit> exits = new ConcurrentHashMap<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Instant startedAt = Instant.now();
    private volatile boolean stopping;
    private int passes;
    /** Passes that ended in an error other than a busy lock or an invalid file, since the last good one. */
    private int failedPasses;
    private final java.util.Random jitter = new java.util.Random();
    private WatchStatus.Pass lastPass;
    private Condition config;
    private Map<String, java.util.List<Condition>> vmConditions = Map.of();

    public WatchLoop(WatchOptions options, Drivers drivers, Consumer<String> out) {
        this.options = options;
        this.drivers = drivers;
        this.out = out;
        this.memory = new WatchPass.Memory(new VmRetries(options.retry(), new java.util.Random()), exits,
                new HashMap<>());
    }

    /** Ends the loop once the pass under way (if any) is done; safe from any thread. */
    public void stop() {
        stopping = true;
        queue.add(WatchTrigger.of(WatchTrigger.Kind.STOP, ""));
    }

    /** Waits until {@link #run()} returned. */
    public boolean awaitFinished(java.time.Duration timeout) throws InterruptedException {
        return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            finished.countDown();
        }
    }

    private void loop() throws InterruptedException {
        ComposeSource source;
        try {
            source = locate();
        } catch (ComposeFileException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        ProjectLayout layout = new ProjectLayout(source.projectDir());
        Optional<String> projectName = Optional.empty();
        Debounce debounce = new Debounce(options.quiet(), options.maxDelay());
        String trigger = "watcher started";
        long burstStart = System.nanoTime();
        long nextResync = System.nanoTime() + options.resync().toNanos();
        long busyRetryAt = Long.MAX_VALUE;
        boolean firstPass = true;
        AutoCloseable units = null;
        var watched = new LinkedHashSet<>(source.files());
        watched.add(layout.launchedVmsFile()); // `launch` may create it while the watcher runs
        try (FileEvents files = new FileEvents(watched, layout.stateDir(), queue::add)) {
            queue.add(WatchTrigger.of(WatchTrigger.Kind.START, ""));
            log("watching " + source.files().stream().map(p -> source.projectDir().relativize(p).toString()).toList()
                    + ", .env and .qemu-compose/ (resync every " + options.resync().toSeconds() + " s"
                    + (options.removeOrphans() ? ", removing orphans" : "") + ")");
            while (!stopping) {
                long now = System.nanoTime();
                long wakeAt = debounce.pending() ? debounce.dueAt().getAsLong() : Math.min(nextResync, busyRetryAt);
                Optional<Instant> retry = memory.retries().nextDue(Instant.now());
                if (retry.isPresent() && !debounce.pending()) {
                    long toRetry = Math.max(0, Instant.now().until(retry.get(), ChronoUnit.NANOS));
                    wakeAt = Math.min(wakeAt, now + toRetry + 1_000_000);
                }
                WatchTrigger t = queue.poll(Math.max(0, wakeAt - now), TimeUnit.NANOSECONDS);
                now = System.nanoTime();
                if (t != null) {
                    if (t.kind() == WatchTrigger.Kind.STOP) {
                        break;
                    }
                    if (!debounce.pending()) {
                        trigger = t.describe();
                        burstStart = t.atNanos();
                    }
                    debounce.event(t.atNanos());
                    if (!debounce.due(now)) {
                        continue;
                    }
                } else if (!debounce.pending()) {
                    boolean resync = now - nextResync >= 0;
                    trigger = resync ? "periodic resync" : "retry";
                    burstStart = now;
                }
                debounce.reset();
                nextResync = System.nanoTime() + options.resync().toNanos();
                busyRetryAt = Long.MAX_VALUE;
                if (units == null) {
                    units = subscribeUnits(projectName);
                }
                try {
                    Optional<String> name = pass(trigger, burstStart, layout, firstPass);
                    firstPass = false;
                    if (name.isPresent() && projectName.isEmpty()) {
                        projectName = name;
                        closeQuietly(units);
                        units = subscribeUnits(projectName);
                    }
                    failedPasses = 0;
                } catch (ProjectLockedException e) {
                    log("project is busy (" + e.getMessage() + "); trying again in 2 s");
                    busyRetryAt = System.nanoTime() + BUSY_RETRY_NANOS;
                } catch (RuntimeException e) {
                    // A D-Bus hiccup, a corrupt state file, a failing qemu-img: the reconciler outlives it
                    // (it is the thing that repairs the world) and tries again later, never giving up
                    // for good: past the policy's attempts it keeps trying at the policy's maximum.
                    failedPasses++;
                    java.time.Duration wait = options.retry().delayAfter(failedPasses, jitter)
                            .orElse(options.retry().max());
                    String error = WatchPass.message(e);
                    log("pass " + passes + " (" + trigger + ") failed: " + error + "; trying again in "
                            + wait.toMillis() + " ms");
                    finish(layout, passes, Instant.now(), trigger, "failed: " + error, List.of(), System.nanoTime(),
                            projectName.orElse("unknown"));
                    busyRetryAt = System.nanoTime() + wait.toNanos();
                }
            }
        } finally {
            closeQuietly(units);
            log("watcher stopped");
        }
    }

    /** One pass; returns the project name once the file loaded. */
    private Optional<String> pass(String trigger, long burstStart, ProjectLayout layout, boolean firstPass)
            throws InterruptedException {
        int number = ++passes;
        long start = System.nanoTime();
        Instant at = Instant.now();
        ComposeProject project;
        try {
            project = load(options);
        } catch (ComposeFileException e) {
            log("pass " + number + " (" + trigger + "): the compose file is invalid; the VMs keep running as they are");
            e.getMessage().lines().forEach(l -> log("  " + l));
            config = Condition.of("ConfigValid", false, "InvalidComposeFile", e.getMessage(), at).since(config);
            finish(layout, number, at, trigger, "invalid compose file", List.of(), start, "unknown");
            return Optional.empty();
        }
        config = Condition.of("ConfigValid", true, "Loaded", "the compose file is valid", at).since(config);
        boolean[] announced = {false};
        List<String> header = List.of("pass " + number + " (" + trigger + ")");
        WatchPass.Outcome outcome = new WatchPass(drivers, options, line -> {
            if (!announced[0]) {
                announced[0] = true;
                header.forEach(this::log);
            }
            log(line);
        }, memory).run(project, firstPass, () -> log("  first action started "
                + (System.nanoTime() - burstStart) / 1_000_000 + " ms after the " + trigger.split(":")[0]));
        vmConditions = outcome.vms();
        if (announced[0]) {
            log("pass " + number + ": " + outcome.summary() + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
        finish(layout, number, at, trigger, outcome.summary(), outcome.changes(), start, project.name());
        return Optional.of(project.name());
    }

    private void finish(ProjectLayout layout, int number, Instant at, String trigger, String summary,
            List<String> changes, long start, String project) {
        lastPass = new WatchStatus.Pass(number, at, trigger, summary, (System.nanoTime() - start) / 1_000_000, changes);
        try {
            new WatchStatus(project, ProcessHandle.current().pid(), options.mode(), startedAt, Instant.now(), lastPass,
                    config, vmConditions).write(layout);
        } catch (RuntimeException e) {
            log("cannot write the status file: " + e.getMessage());
        }
    }

    /**
     * VM units of the project, and its networks' dnsmasq units, as triggers. A unit that failed is usually unloaded at once
     * (CollectMode=inactive-or-failed), so how it ended is read right away on a virtual thread,
     * for {@code restart: on-failure}; the D-Bus dispatch thread must not call back into systemd.
     */
    private AutoCloseable subscribeUnits(Optional<String> project) {
        if (project.isEmpty()) {
            return null;
        }
        String prefix = io.qemucompose.state.ProjectLayout.unitPrefix(project.get());
        String self = ReconcilerUnit.unitName(project.get());
        UnitManager systemd;
        try {
            systemd = drivers.systemd();
        } catch (RuntimeException e) {
            log("cannot subscribe to unit changes: " + e.getMessage());
            return null;
        }
        String dnsmasqPrefix = io.qemucompose.state.ProjectLayout.withoutSuffix(
                io.qemucompose.state.ProjectLayout.dnsmasqUnit(project.get(), ""));
        return systemd.onUnitChange(unit -> {
            if (unit.startsWith(dnsmasqPrefix) && unit.endsWith(".service")) {
                // a network's DHCP/DNS went away (or came back): the next pass repairs the network
                queue.add(WatchTrigger.of(WatchTrigger.Kind.UNIT, unit.substring(dnsmasqPrefix.length(),
                        unit.length() - ".service".length())));
                return;
            }
            if (unit.startsWith(prefix) && !unit.equals(self) && unit.endsWith(".service")) {
                String vm = unit.substring(prefix.length(), unit.length() - ".service".length());
                queue.add(WatchTrigger.of(WatchTrigger.Kind.UNIT, vm));
                Thread.ofVirtual().start(() -> noteExit(systemd, unit, vm));
            }
        });
    }

    private void noteExit(UnitManager systemd, String unit, String vm) {
        try {
            UnitStatus s = systemd.unit(unit);
            if (s.isFailed()) {
                exits.put(vm, RestartRule.Exit.FAILURE);
            } else if (s.loaded() && s.isInactive() && "success".equals(s.result())) {
                exits.put(vm, RestartRule.Exit.CLEAN);
            }
        } catch (RuntimeException ignored) {
            // best effort: an unseen exit counts as a failure
        }
    }

    private ComposeSource locate() throws ComposeFileException {
        return ComposeFiles.locate(options.fileFlags(), options.environment(), options.cwd());
    }

    /**
     * The project one pass works on: the files as they are now, with the watcher's
     * {@code --profile} values, else QEMU_COMPOSE_PROFILES (as {@code up} would load it).
     */
    static ComposeProject load(WatchOptions options) throws ComposeFileException {
        return new ComposeLoader(options.environment()).load(
                ComposeFiles.locate(options.fileFlags(), options.environment(), options.cwd()), options.projectName(),
                ProfileRequest.of(options.profiles(), List.of()));
    }

    private void log(String line) {
        out.accept(LocalTime.now().format(TIME) + " " + line);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // listener handles only
            }
        }
    }

    /** The VMs named in the file, for messages (null-safe). */
    static Set<String> names(ComposeProject p) {
        return p == null ? Set.of() : p.vms().keySet();
    }
}
