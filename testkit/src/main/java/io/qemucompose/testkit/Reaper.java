package io.qemucompose.testkit;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Last-resort cleanup: fixtures register how to undo what they started, and a JVM shutdown hook
 * runs whatever is still registered (newest first) when a test run is interrupted (Ctrl-C,
 * SIGTERM from Maven's fork timeout) before the fixtures' own close() ran.
 */
final class Reaper {

    /** A registered cleanup; {@link #run()} runs it once and unregisters it. */
    static final class Registration implements Runnable {
        private final String what;
        private final Runnable cleanup;
        private boolean done;

        private Registration(String what, Runnable cleanup) {
            this.what = what;
            this.cleanup = cleanup;
        }

        @Override
        public void run() {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
            }
            synchronized (PENDING) {
                PENDING.remove(this);
            }
            try {
                cleanup.run();
            } catch (RuntimeException e) {
                System.err.println("testkit: cleanup of " + what + " failed: " + e);
            }
        }
    }

    private static final Deque<Registration> PENDING = new ArrayDeque<>();

    static {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("testkit-reaper").unstarted(Reaper::runAll));
    }

    private Reaper() {
    }

    static Registration register(String what, Runnable cleanup) {
        var registration = new Registration(what, cleanup);
        synchronized (PENDING) {
            PENDING.push(registration);
        }
        return registration;
    }

    private static void runAll() {
        while (true) {
            Registration next;
            synchronized (PENDING) {
                next = PENDING.peek();
            }
            if (next == null) {
                return;
            }
            next.run();
        }
    }
}
