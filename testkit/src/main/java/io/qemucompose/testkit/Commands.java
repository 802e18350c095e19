package io.qemucompose.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

/** Runs short host commands with a deadline, and polls conditions with a deadline. */
public final class Commands {

    private Commands() {
    }

    public static CommandResult run(List<String> command) {
        return run(command, Duration.ofMinutes(2), null);
    }

    /** Runs a command to completion (killed at the deadline), capturing stdout and stderr. */
    public static CommandResult run(List<String> command, Duration deadline, Path workingDirectory) {
        try {
            var builder = new ProcessBuilder(command);
            if (workingDirectory != null) {
                builder.directory(workingDirectory.toFile());
            }
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<String> out = drain(process.getInputStream());
            CompletableFuture<String> err = drain(process.getErrorStream());
            if (!process.waitFor(deadline.toNanos(), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + deadline);
            }
            return new CommandResult(command, process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    /**
     * Starts a long-running process (a VM, a daemon) that is killed when the JVM exits, should the
     * test not get to stop it itself (interrupted run, crash of the test JVM's main thread).
     */
    public static Process startOwned(ProcessBuilder builder) {
        try {
            Process process = builder.start();
            // only a live process is killed: destroying an exited one closes its streams, and output
            // the caller has not read yet would be lost ("Stream closed")
            var registration = Reaper.register("process " + process.pid() + " " + builder.command().getFirst(),
                    () -> {
                        if (process.isAlive()) {
                            process.destroyForcibly();
                        }
                    });
            process.onExit().thenRun(registration);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", builder.command()), e);
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        var result = new CompletableFuture<String>();
        Thread.ofVirtual().start(() -> {
            try (stream) {
                result.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                result.complete("");
            }
        });
        return result;
    }

    /**
     * Checks {@code condition} every {@code interval} until it holds; fails with {@code what} at the
     * deadline. For states nothing signals (a socket file appearing, a guest answering SSH).
     */
    public static void awaitCondition(String what, Duration deadline, Duration interval, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("timed out after " + deadline + " waiting for " + what);
            }
            LockSupport.parkNanos(interval.toNanos());
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what);
            }
        }
    }
}
