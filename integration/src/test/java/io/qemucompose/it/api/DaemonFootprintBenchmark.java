package io.qemucompose.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.QemuComposeCli;
import io.qemucompose.driver.systemd.SystemdUserManager;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.testkit.Commands;
import io.qemucompose.testkit.PrivateSystemdUser;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/bench-daemon: the reconciler daemon's start time (watch --detach until the API answers),
 * resident memory (VmRSS and the unit's MemoryCurrent) idle and with an open event stream, and API
 * latency over the Unix socket (p50/p99 of 1000 requests each: list = GET /vms?probe=false, info =
 * GET /vms/web, GET /project). A project of ten VMs, none running (behind a profile), so only the
 * daemon is measured.
 * Prints BENCH lines; fails only when it cannot measure.
 */
class DaemonFootprintBenchmark {

    @RegisterExtension
    static PrivateSystemdUser systemd = new PrivateSystemdUser();

    @TempDir
    Path tmp;

    @Test
    void measure() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("bench"));
        // ten VMs in the file, none running (behind a profile), so only the daemon is measured
        var file = new StringBuilder("vms:\n");
        for (int i = 1; i <= 10; i++) {
            file.append("  ").append(i == 1 ? "web" : "vm" + i).append(":\n    image: ./none.qcow2\n    profiles: [off]\n");
        }
        Files.writeString(project.resolve("qemu-compose.yaml"), file);
        Map<String, String> env = new HashMap<>(systemd.environment());
        env.put("XDG_DATA_HOME", tmp.resolve("data").toString());
        env.put("XDG_STATE_HOME", tmp.resolve("state").toString());
        env.put("HOME", System.getProperty("user.home"));
        env.put("PATH", System.getenv("PATH"));
        env.put("QEMU_COMPOSE_DAEMON_CLASSPATH", System.getProperty("java.class.path"));
        ProjectLayout layout = new ProjectLayout(project);
        Path socket = layout.reachableSocket(layout.apiSocket());
        try (SystemdUserManager manager = systemd.connect()) {
            long t0 = System.nanoTime();
            assertThat(cli(env, project, "watch", "--detach")).isZero();
            Commands.awaitCondition("the API answers", Duration.ofSeconds(120), Duration.ofMillis(20),
                    () -> get(socket, "/project").startsWith("HTTP/1.1 200"));
            long startMs = (System.nanoTime() - t0) / 1_000_000;
            long pid = manager.unit("qemu-compose-bench-reconciler.service").mainPid();
            System.out.println("BENCH daemon start to first API answer: " + startMs + " ms");
            System.out.println("BENCH idle RSS: " + rssKib(pid) / 1024 + " MiB, MemoryCurrent: "
                    + manager.accounting("qemu-compose-bench-reconciler.service").memoryBytes().orElse(-1) / (1024 * 1024) + " MiB");
            for (String path : new String[] {"/vms?probe=false", "/vms/web", "/project"}) {
                long[] nanos = new long[1000];
                for (int i = 0; i < nanos.length; i++) {
                    long s = System.nanoTime();
                    String answer = get(socket, path);
                    nanos[i] = System.nanoTime() - s;
                    assertThat(answer).startsWith("HTTP/1.1 200");
                }
                Arrays.sort(nanos);
                System.out.printf("BENCH GET %s over the Unix socket: p50 %.1f ms, p99 %.1f ms (1000 requests)%n", path,
                        nanos[500] / 1e6, nanos[990] / 1e6);
            }
            try (SocketChannel stream = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                stream.connect(UnixDomainSocketAddress.of(socket));
                stream.write(ByteBuffer.wrap("GET /events HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                stream.read(ByteBuffer.allocate(4096));
                System.out.println("BENCH RSS after 3000 requests, one event stream open: " + rssKib(pid) / 1024 + " MiB");
                breakdown(pid);
            }
            cli(env, project, "watch", "--stop");
        }
    }

    /** Where the resident memory is: anonymous vs file-backed pages, the heap, class metadata (jcmd). */
    private static void breakdown(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("RssAnon:") || line.startsWith("RssFile:") || line.startsWith("Threads:")) {
                System.out.println("BENCH   " + line.replaceAll("\\s+", " "));
            }
        }
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        for (String command : new String[] {"GC.heap_info", "VM.metaspace"}) {
            var result = Commands.run(java.util.List.of(jcmd, Long.toString(pid), command), Duration.ofSeconds(60), null);
            result.stdout().lines().filter(l -> l.contains("total") || l.contains("used") || l.contains("Both:")
                            || l.contains("Non-class") || l.contains("Class:"))
                    .limit(8).forEach(l -> System.out.println("BENCH   " + command + " " + l.strip()));
        }
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
