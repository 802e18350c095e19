package io.qemucompose.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace the test owns ({@code qct-<random>}): bridges, TAPs, veths, dnsmasq and the
 * QEMU processes attached to them live in here and never touch the host's interfaces. Closing it
 * (or the JVM shutdown hook) kills every process in it and deletes it.
 */
public final class NetNs implements AutoCloseable {

    private static final Duration COMMAND_DEADLINE = Duration.ofSeconds(30);

    private final String name;
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final Reaper.Registration cleanup;

    private NetNs(String name) {
        this.name = name;
        this.cleanup = Reaper.register("network namespace " + name, this::destroy);
    }

    /** Creates a new, empty namespace (only a down loopback in it). */
    public static NetNs create() {
        String name = "qct-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Commands.run(List.of("ip", "netns", "add", name), COMMAND_DEADLINE, null).orThrow();
        var ns = new NetNs(name);
        ns.run("ip", "link", "set", "lo", "up");
        return ns;
    }

    /** Names of all network namespaces on the host. */
    public static List<String> list() {
        return Commands.run(List.of("ip", "netns", "list"), COMMAND_DEADLINE, null).orThrow().stdout().lines()
                .map(line -> line.split("\\s+")[0])
                .filter(s -> !s.isBlank())
                .toList();
    }

    public String name() {
        return name;
    }

    /** Runs a command inside the namespace to completion. */
    public CommandResult exec(String... command) {
        return exec(Arrays.asList(command));
    }

    public CommandResult exec(List<String> command) {
        return Commands.run(inNs(command), COMMAND_DEADLINE, null);
    }

    /** Runs a command inside the namespace and fails the test when it fails. */
    public CommandResult run(String... command) {
        return exec(command).orThrow();
    }

    /** Starts a long-running process inside the namespace, output to {@code log}; killed on close. */
    public Process start(List<String> command, Path log) {
        try {
            // `ip netns exec` execs the command itself, so the Process is the program, not a wrapper.
            Process process = new ProcessBuilder(inNs(command))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command + " in " + name, e);
        }
    }

    /** PIDs of every process inside this namespace. */
    public List<Long> pids() {
        return Commands.run(List.of("ip", "netns", "pids", name), COMMAND_DEADLINE, null).stdout().lines()
                .filter(s -> !s.isBlank())
                .map(s -> Long.parseLong(s.strip()))
                .toList();
    }

    private List<String> inNs(List<String> command) {
        var full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return full;
    }

    @Override
    public void close() {
        cleanup.run();
    }

    private void destroy() {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        // Anything else in the namespace was started inside it by the test: ours to end.
        for (long pid : pids()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        Commands.awaitCondition("processes in " + name + " to exit", Duration.ofSeconds(10), Duration.ofMillis(20),
                () -> pids().isEmpty());
        Commands.run(List.of("ip", "netns", "delete", name), COMMAND_DEADLINE, null).orThrow();
    }
}
