package io.qemucompose.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.QemuComposeCli;
import io.qemucompose.driver.systemd.SystemdUserManager;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.testkit.Commands;
import io.qemucompose.testkit.PrivateSystemdUser;
import io.qemucompose.watch.ReconcilerUnit;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/bench-daemon: the reconciler daemon's start time (watch --detach until the API answers),
 * resident memory (VmRSS and the unit's MemoryCurrent) idle and with an open event stream, and API
 * latency over the Unix socket (p50/p99 of 1000 requests each: list = GET /vms?probe=false, info =
 * GET /vms/web, GET /project), first in a project of ten VMs none of which runs (behind a profile),
 * then in a project of ten running VMs (blank disks: the firmware finds nothing to boot and idles,
 * so no guest boots, but the daemon follows ten units and ten QMP monitors and probes them, as
 * they stay "starting", every 5 s).
 *
 * <p>Each phase runs once per JVM configuration, all in one run, so the old settings and the new
 * ones are measured on the same machine under the same load: {@code -Dbench.configs=name=options;…}
 * ({@link ReconcilerUnit#JVM_OPTIONS_ENV}; empty options are the daemon's built-in ones), by default
 * {@link #OLD_OPTIONS} as {@code old} and the built-in ones as {@code new}.
 * Prints BENCH lines; fails only when it cannot measure.
 */
class DaemonFootprintBenchmark {

    /** The daemon's JVM options before issue 16's second round (138–152 MiB resident with ten VMs in the file). */
    static final String OLD_OPTIONS = "-XX:+UseSerialGC -Xss512k -Xms8m -Xmx64m -XX:MinHeapFreeRatio=10"
            + " -XX:MaxHeapFreeRatio=30 -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=32m"
            + " -XX:MaxMetaspaceSize=128m -XX:+UseCompactObjectHeaders -XX:TrimNativeHeapInterval=5000 -XX:-UsePerfData";

    private static final int VMS = 10;
    private static final int REQUESTS = Integer.getInteger("bench.requests", 1000);
    /** How long the daemon follows the ten running VMs, with a stream open, before it is measured. */
    private static final Duration SETTLE = Duration.ofSeconds(Long.getLong("bench.settle-seconds", 40));

    @RegisterExtension
    static PrivateSystemdUser systemd = new PrivateSystemdUser();

    @TempDir
    Path tmp;

    @Test
    void measure() throws Exception {
        Map<String, String> configs = configs();
        Map<String, String> env = new HashMap<>(systemd.environment());
        env.put("XDG_DATA_HOME", tmp.resolve("data").toString());
        env.put("XDG_STATE_HOME", tmp.resolve("state").toString());
        env.put("HOME", System.getProperty("user.home"));
        env.put("PATH", System.getenv("PATH"));
        env.put("QEMU_COMPOSE_USERNET_RESTRICT", "true");
        env.put("QEMU_COMPOSE_ACCEL", "tcg");
        // the jars only, as the launcher's classpath: a JDK AOT cache refuses directories on it
        env.put("QEMU_COMPOSE_DAEMON_CLASSPATH", Arrays.stream(System.getProperty("java.class.path").split(":"))
                .filter(e -> e.endsWith(".jar")).collect(java.util.stream.Collectors.joining(":")));
        try (SystemdUserManager manager = systemd.connect()) {
            // ten VMs in the file, none running (behind a profile), so only the daemon is measured
            Path idle = project("bench", i -> "    image: ./none.qcow2\n    profiles: [off]\n");
            for (var config : configs.entrySet()) {
                idlePhase(manager, withOptions(env, config.getValue()), idle, config.getKey());
            }
            if (!Boolean.parseBoolean(System.getProperty("bench.running", "true"))) {
                return;
            }
            Path blank = tmp.resolve("blank.qcow2");
            Commands.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", blank.toString(), "64M")).orThrow();
            Path running = project("bench10", i -> "    image: " + blank + "\n    memory: 64\n    cpu: 1\n");
            assertThat(cli(env, running, "up", "--no-wait")).isZero();
            try {
                for (var config : configs.entrySet()) {
                    runningPhase(manager, withOptions(env, config.getValue()), running, config.getKey());
                }
            } finally {
                // the VMs have no OS to shut them down gracefully: stop the units (the stop chain would wait for each)
                for (int i = 1; i <= VMS; i++) {
                    manager.stopUnit("qemu-compose-bench10-" + vmName(i) + ".service");
                }
            }
        }
    }

    /** A daemon started by {@code watch --detach}: its PID, its API socket and how long until it answered. */
    private record Started(long pid, Path socket, long startMs) {
    }

    private Started start(SystemdUserManager manager, Map<String, String> env, Path project, String unit)
            throws Exception {
        Path socket = socket(project);
        long startMs = start(env, project, socket);
        return new Started(manager.unit(unit).mainPid(), socket, startMs);
    }

    private void idlePhase(SystemdUserManager manager, Map<String, String> env, Path project, String config)
            throws Exception {
        String unit = "qemu-compose-bench-reconciler.service";
        Started daemon = start(manager, env, project, unit);
        Path socket = daemon.socket();
        long pid = daemon.pid();
        System.out.println("BENCH [" + config + "] daemon start to first API answer: " + daemon.startMs() + " ms");
        System.out.println("BENCH [" + config + "] idle RSS: " + rssKib(pid) / 1024 + " MiB, MemoryCurrent: "
                + manager.accounting(unit).memoryBytes().orElse(-1) / (1024 * 1024) + " MiB");
        for (String path : new String[] {"/vms?probe=false", "/vms/web", "/project"}) {
            latency(config, socket, path);
        }
        try (SocketChannel stream = openStream(socket)) {
            System.out.println("BENCH [" + config + "] RSS after " + 3 * REQUESTS + " requests, one event stream open: "
                    + rssKib(pid) / 1024 + " MiB");
            breakdown(config, pid);
        }
        assertThat(cli(env, project, "watch", "--stop")).isZero();
    }

    private void runningPhase(SystemdUserManager manager, Map<String, String> env, Path project, String config)
            throws Exception {
        String unit = "qemu-compose-bench10-reconciler.service";
        Started daemon = start(manager, env, project, unit);
        Path socket = daemon.socket();
        long pid = daemon.pid();
        long startMs = daemon.startMs();
        long running = java.util.stream.IntStream.rangeClosed(1, VMS)
                .filter(i -> manager.unit("qemu-compose-bench10-" + vmName(i) + ".service").isActive()).count();
        assertThat(running).as("VM units running").isEqualTo(VMS);
        System.out.println("BENCH [" + config + "] " + VMS + " VMs running: daemon start to first API answer: "
                + startMs + " ms, idle RSS " + rssKib(pid) / 1024 + " MiB");
        try (SocketChannel stream = openStream(socket)) {
            long peak = 0;
            long end = System.nanoTime() + SETTLE.toNanos();
            while (System.nanoTime() < end) {
                peak = Math.max(peak, rssKib(pid));
                Thread.sleep(1000);
            }
            System.out.println("BENCH [" + config + "] " + VMS + " VMs running, one event stream open, after "
                    + SETTLE.toSeconds() + " s (status probes every 5 s): RSS " + rssKib(pid) / 1024 + " MiB (peak "
                    + peak / 1024 + " MiB), MemoryCurrent "
                    + manager.accounting(unit).memoryBytes().orElse(-1) / (1024 * 1024) + " MiB");
            latency(config + "] [" + VMS + " VMs", socket, "/vms?probe=false");
            System.out.println("BENCH [" + config + "] " + VMS + " VMs running, after " + REQUESTS
                    + " more requests, stream open: RSS " + rssKib(pid) / 1024 + " MiB");
            breakdown(config + "] [" + VMS + " VMs", pid);
        }
        assertThat(cli(env, project, "watch", "--stop")).isZero();
    }

    /** {@code watch --detach}, then the time until the API answers. */
    private static long start(Map<String, String> env, Path project, Path socket) {
        long t0 = System.nanoTime();
        assertThat(cli(env, project, "watch", "--detach")).isZero();
        Commands.awaitCondition("the API answers", Duration.ofSeconds(120), Duration.ofMillis(20),
                () -> get(socket, "/project").startsWith("HTTP/1.1 200"));
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static void latency(String config, Path socket, String path) {
        long[] nanos = new long[REQUESTS];
        for (int i = 0; i < nanos.length; i++) {
            long s = System.nanoTime();
            String answer = get(socket, path);
            nanos[i] = System.nanoTime() - s;
            assertThat(answer).startsWith("HTTP/1.1 200");
        }
        Arrays.sort(nanos);
        System.out.printf("BENCH [%s] GET %s over the Unix socket: p50 %.1f ms, p99 %.1f ms (%d requests)%n", config,
                path, nanos[nanos.length / 2] / 1e6, nanos[nanos.length * 99 / 100] / 1e6, nanos.length);
    }

    private static SocketChannel openStream(Path socket) throws IOException {
        SocketChannel stream = SocketChannel.open(StandardProtocolFamily.UNIX);
        stream.connect(UnixDomainSocketAddress.of(socket));
        stream.write(ByteBuffer.wrap("GET /events HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(new String(readSome(stream), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
        return stream;
    }

    private static byte[] readSome(SocketChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        channel.read(buffer);
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    /** {@code name=options;…}, in order; empty options are the daemon's built-in ones. */
    private static Map<String, String> configs() {
        String spec = System.getProperty("bench.configs", "old=" + OLD_OPTIONS + ";new=");
        Map<String, String> configs = new LinkedHashMap<>();
        for (String entry : spec.split(";")) {
            int eq = entry.indexOf('=');
            configs.put(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip());
        }
        return configs;
    }

    private static Map<String, String> withOptions(Map<String, String> env, String options) {
        Map<String, String> e = new HashMap<>(env);
        if (!options.isEmpty()) {
            e.put(ReconcilerUnit.JVM_OPTIONS_ENV, options);
        }
        return e;
    }

    private Path project(String name, java.util.function.IntFunction<String> settings) throws IOException {
        Path project = Files.createDirectories(tmp.resolve(name));
        var file = new StringBuilder("name: " + name + "\nvms:\n");
        for (int i = 1; i <= VMS; i++) {
            file.append("  ").append(vmName(i)).append(":\n").append(settings.apply(i));
        }
        Files.writeString(project.resolve("qemu-compose.yaml"), file);
        return project;
    }

    private static String vmName(int i) {
        return i == 1 ? "web" : "vm" + i;
    }

    private static Path socket(Path project) {
        ProjectLayout layout = new ProjectLayout(project);
        return layout.reachableSocket(layout.apiSocket());
    }

    /** Where the resident memory is: anonymous vs file-backed pages, the heap, class metadata, native memory (jcmd). */
    private static void breakdown(String config, long pid) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("RssAnon:") || line.startsWith("RssFile:") || line.startsWith("Threads:")) {
                out.add(line.replaceAll("\\s+", " "));
            }
        }
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        for (String command : new String[] {"GC.heap_info", "VM.metaspace", "Compiler.codecache", "VM.native_memory"}) {
            var result = Commands.run(List.of(jcmd, Long.toString(pid), command), Duration.ofSeconds(60), null);
            result.stdout().lines().filter(l -> l.contains("total") || l.contains("used") || l.contains("Both:")
                            || l.contains("Non-class") || l.contains("Class:") || l.contains("committed="))
                    .filter(l -> !l.contains("(malloc=") || l.startsWith("-"))
                    .limit(command.equals("VM.native_memory") ? 40 : 8).forEach(l -> out.add(command + " " + l.strip()));
        }
        out.forEach(l -> System.out.println("BENCH [" + config + "]   " + l));
    }

    private static long rssKib(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(-1L);
    }

    /** One HTTP/1.1 request on a fresh connection (as curl does); the status line and headers. */
    private static String get(Path socket, String path) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            var all = new java.io.ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(65536);
            while (channel.read(buffer) > 0) {
                all.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return all.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static int cli(Map<String, String> env, Path project, String... args) {
        var w = new PrintWriter(new StringWriter(), true);
        return QemuComposeCli.run(new CommandEnvironment(w, w, env, project, false), args);
    }
}
