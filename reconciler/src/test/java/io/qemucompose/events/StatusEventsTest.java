package io.qemucompose.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StatusEventsTest {

    private static final Instant AT = Instant.parse("2026-12-01T20:00:00Z");
    // shorter than the product's 5 s and 30 s, so the loop's tests take a second or two
    private static final Duration SETTLING = Duration.ofMillis(200);
    private static final Duration HEALTH = Duration.ofSeconds(1);

    private static StatusEvents.Row row(String vm, String status) {
        return new StatusEvents.Row(vm, status, Optional.empty());
    }

    private static StatusEvents.Row row(String vm, String status, String health) {
        return new StatusEvents.Row(vm, status, Optional.of(health));
    }

    private static Map<String, StatusEvents.Row> known(StatusEvents.Row... rows) {
        Map<String, StatusEvents.Row> m = new LinkedHashMap<>();
        for (var r : rows) {
            m.put(r.vm(), r);
        }
        return m;
    }

    @Test
    void aStatusChangeIsOneEventWithWhereItCameFromAndAnUnchangedVmIsNone() {
        var events = StatusEvents.changes(known(row("web", "starting"), row("db", "ready")),
                List.of(row("web", "ready"), row("db", "ready")), AT);
        assertThat(events).containsExactly(new ProjectEvent(AT, "status", "web", "ready", Map.of("from", "starting")));
        assertThat(events.getFirst().toJson()).contains("\"type\":\"status\"", "\"action\":\"ready\"");
    }

    @Test
    void aHealthChangeOnAReadyVmIsAnEventTooAndANewVmComesFromUnknown() {
        var events = StatusEvents.changes(known(row("web", "ready", "healthy")),
                List.of(row("web", "ready", "unhealthy"), row("cache", "starting")), AT);
        assertThat(events).containsExactly(
                new ProjectEvent(AT, "status", "web", "ready", Map.of("from", "ready", "health", "unhealthy",
                        "health_from", "healthy")),
                new ProjectEvent(AT, "status", "cache", "starting", Map.of("from", "unknown")));
    }

    @Test
    void probesOftenOnlyWhileAVmIsOnItsWayAndForHealthchecksOfRunningVms() {
        assertThat(StatusEvents.nextProbe(List.of(row("web", "ready"), row("db", "starting")), SETTLING, HEALTH))
                .contains(SETTLING);
        assertThat(StatusEvents.nextProbe(List.of(row("web", "ready", "healthy"), row("db", "stopped")),
                SETTLING, HEALTH))
                .contains(HEALTH);
        // settled without healthchecks (a VM that cannot be probed is "active" for good): only when nudged
        assertThat(StatusEvents.nextProbe(List.of(row("web", "ready"), row("bsd", "active"), row("db", "stopped")),
                SETTLING, HEALTH))
                .isEmpty();
        assertThat(StatusEvents.nextProbe(List.of(row("web", "stopped", "healthy")), SETTLING, HEALTH)).isEmpty();
    }

    @Test
    void theFirstProbeIsTheBaselineAndANudgeProbesAgainAtOnce() throws Exception {
        AtomicReference<List<StatusEvents.Row>> world = new AtomicReference<>(List.of(row("web", "stopped")));
        AtomicInteger probes = new AtomicInteger();
        BlockingQueue<ProjectEvent> seen = new LinkedBlockingQueue<>();
        try (var status = new StatusEvents(() -> {
            probes.incrementAndGet();
            return world.get();
        }, seen::add, Clock.fixed(AT, ZoneOffset.UTC), SETTLING, HEALTH).start()) {
            awaitProbes(probes, 1);
            assertThat(seen).as("no event for what was already so").isEmpty();

            world.set(List.of(row("web", "starting")));
            status.nudge();
            assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo(
                    new ProjectEvent(AT, "status", "web", "starting", Map.of("from", "stopped")));
            // on its way: probed again without a nudge
            world.set(List.of(row("web", "ready")));
            assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo(
                    new ProjectEvent(AT, "status", "web", "ready", Map.of("from", "starting")));
            int settled = probes.get();
            Thread.sleep(SETTLING.toMillis() * 3);
            assertThat(probes.get()).as("settled: no probe until nudged").isEqualTo(settled);
        }
    }

    @Test
    void aFailingProbeIsTriedAgainAndCostsNoEvent() throws Exception {
        List<Object> answers = new ArrayList<>(List.of(new IllegalStateException("ps failed"),
                List.of(row("web", "starting")), List.of(row("web", "ready"))));
        BlockingQueue<ProjectEvent> seen = new LinkedBlockingQueue<>();
        try (var status = new StatusEvents(() -> {
            Object next = answers.size() > 1 ? answers.removeFirst() : answers.getFirst();
            if (next instanceof RuntimeException e) {
                throw e;
            }
            @SuppressWarnings("unchecked")
            List<StatusEvents.Row> rows = (List<StatusEvents.Row>) next;
            return rows;
        }, seen::add, Clock.fixed(AT, ZoneOffset.UTC), SETTLING, HEALTH).start()) {
            assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo(
                    new ProjectEvent(AT, "status", "web", "ready", Map.of("from", "starting")));
        }
    }

    private static void awaitProbes(AtomicInteger probes, int atLeast) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (probes.get() < atLeast && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(probes.get()).isGreaterThanOrEqualTo(atLeast);
    }
}
