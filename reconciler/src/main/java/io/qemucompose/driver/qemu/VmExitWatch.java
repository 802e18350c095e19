package io.qemucompose.driver.qemu;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for a VM's QEMU to exit. */
@FunctionalInterface
public interface VmExitWatch {

    /** True once QEMU has exited (at once if it already has); false when still running after {@code timeout}. */
    boolean awaitExit(Duration timeout);

    /** QEMU's process (a child or, e.g. from its pid file, any process). */
    static VmExitWatch process(ProcessHandle qemu) {
        return timeout -> {
            try {
                qemu.onExit().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
                return true;
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                return !qemu.isAlive();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !qemu.isAlive();
            }
        };
    }

    /**
     * The QMP connection closing: QEMU closes it when it exits, after the SHUTDOWN event. It needs the
     * connection open before the stop was requested (QEMU serves one QMP client at a time).
     * QEMU closes it while tearing down: the process can live on for a moment and still hold its disk
     * image locks, so wait for the process (or the unit) before reusing the disk.
     */
    static VmExitWatch qmp(QmpClient qmp) {
        return qmp::awaitDisconnect;
    }

    /** Whichever of several watches sees the exit first. */
    static VmExitWatch anyOf(List<VmExitWatch> watches) {
        return timeout -> {
            var first = new CompletableFuture<Boolean>();
            var remaining = new java.util.concurrent.atomic.AtomicInteger(watches.size());
            for (VmExitWatch watch : watches) {
                Thread.ofVirtual().name("vm-exit-watch").start(() -> {
                    boolean exited = false;
                    try {
                        exited = watch.awaitExit(timeout);
                    } finally {
                        if (exited) {
                            first.complete(true);
                        } else if (remaining.decrementAndGet() == 0) {
                            first.complete(false);
                        }
                    }
                });
            }
            try {
                return first.get(timeout.toNanos() + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException | TimeoutException e) {
                return false;
            }
        };
    }
}
