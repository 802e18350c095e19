package io.qemucompose.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Readiness and health changes as events ({@code type} {@code status}): what {@code ps} would say
 * of a VM, told once when it changes ({@code starting} → {@code ready}, {@code ready} with health
 * {@code healthy} → {@code unhealthy}, …), so that a client of {@code /events} needs no polling.
 *
 * <p>The probe (the readiness check {@code ps} runs: SSH and cloud-init's verdict, and the VM's
 * healthcheck) costs a guest real work under TCG, so it runs only when there is something to learn:
 * at once when a unit changes ({@link #nudge()}), every {@link #SETTLING} (5 s) while a VM is on its way
 * ({@code starting}), every {@link #HEALTH} (30 s) while a running VM has a healthcheck,
 * and never while every VM is settled without one.
 */
public final class StatusEvents implements AutoCloseable {

    /**
     * How often a VM on its way to ready is probed: each probe of a guest whose sshd is up is an SSH
     * login, which under TCG costs the booting guest real CPU, so less often than ps --wait's second.
     */
    static final Duration SETTLING = Duration.ofSeconds(5);
    /** How often a running VM's healthcheck is asked again. */
    static final Duration HEALTH = Duration.ofSeconds(30);

    // "active" is settled: a running VM whose readiness cannot be probed (no SSH into it) stays so
    private static final Set<String> ON_ITS_WAY = Set.of("starting");

    /** One VM as {@code ps} shows it: its status label and, for VMs with a healthcheck, the health label. */
    public record Row(String vm, String status, Optional<String> health) {
        public Row {
            Objects.requireNonNull(vm, "vm");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(health, "health");
        }
    }

    private final Supplier<List<Row>> probe;
    private final Consumer<ProjectEvent> sink;
    private final Clock clock;
    private final Duration settling;
    private final Duration health;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean closed;
    private Thread thread;

    public StatusEvents(Supplier<List<Row>> probe, Consumer<ProjectEvent> sink, Clock clock) {
        this(probe, sink, clock, SETTLING, HEALTH);
    }

    /** With other intervals (tests). */
    StatusEvents(Supplier<List<Row>> probe, Consumer<ProjectEvent> sink, Clock clock, Duration settling,
            Duration health) {
        this.probe = probe;
        this.sink = sink;
        this.clock = clock;
        this.settling = settling;
        this.health = health;
    }

    /** Takes the first probe as the baseline (no events for it) and follows from there. */
    public synchronized StatusEvents start() {
        if (thread == null) {
            thread = Thread.ofVirtual().name("status-events").start(this::run);
        }
        return this;
    }

    /** Something changed (a unit's state): probe soon. */
    public void nudge() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    private void run() {
        Map<String, Row> known = new LinkedHashMap<>();
        boolean first = true;
        while (!closed) {
            List<Row> rows;
            try {
                rows = probe.get();
            } catch (RuntimeException e) {
                rows = null; // a failed probe (the file mid-edit, D-Bus restarting) is tried again later
            }
            if (rows != null) {
                if (!first) {
                    changes(known, rows, clock.instant()).forEach(sink);
                }
                first = false;
                known.clear();
                rows.forEach(r -> known.put(r.vm(), r));
            }
            Optional<Duration> next = rows == null ? Optional.of(settling) : nextProbe(rows, settling, health);
            try {
                if (next.isPresent()) {
                    wake.tryAcquire(next.get().toMillis(), TimeUnit.MILLISECONDS);
                } else {
                    wake.acquire();
                }
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The events that take {@code before} to {@code now}: one per VM whose status or health changed. */
    static List<ProjectEvent> changes(Map<String, Row> before, List<Row> now, Instant at) {
        List<ProjectEvent> events = new ArrayList<>();
        for (Row row : now) {
            Row old = before.get(row.vm());
            if (old != null && old.status().equals(row.status()) && old.health().equals(row.health())) {
                continue;
            }
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("from", old == null ? "unknown" : old.status());
            row.health().ifPresent(h -> attributes.put("health", h));
            if (old != null && old.health().isPresent() && !old.health().equals(row.health())) {
                attributes.put("health_from", old.health().get());
            }
            events.add(new ProjectEvent(at, "status", row.vm(), row.status(), attributes));
        }
        return events;
    }

    /** When to probe next without a nudge; empty: only when nudged. */
    static Optional<Duration> nextProbe(List<Row> rows, Duration settling, Duration health) {
        if (rows.stream().anyMatch(r -> ON_ITS_WAY.contains(r.status()))) {
            return Optional.of(settling);
        }
        if (rows.stream().anyMatch(r -> r.health().isPresent() && r.status().equals("ready"))) {
            return Optional.of(health);
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        closed = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt();
        }
    }
}
