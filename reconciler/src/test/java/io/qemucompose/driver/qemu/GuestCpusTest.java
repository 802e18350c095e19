package io.qemucompose.driver.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pause/unpause against a QMP monitor that behaves like QEMU's for the few commands they use. */
class GuestCpusTest {

    @TempDir
    Path dir;

    /** Answers one client after another: greeting, capabilities, query-status, stop, cont. */
    private static final class FakeQmp implements AutoCloseable {
        private static final Pattern REQUEST = Pattern.compile("\"execute\":\"([^\"]+)\".*\"id\":(\\d+)");
        final List<String> commands = new CopyOnWriteArrayList<>();
        volatile String status = "running";
        private final ServerSocketChannel server;

        FakeQmp(Path socket) throws IOException {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread.ofVirtual().start(this::serve);
        }

        private void serve() {
            try {
                while (true) {
                    try (SocketChannel client = server.accept()) {
                        send(client, "{\"QMP\":{\"version\":{\"qemu\":{\"major\":7,\"minor\":2,\"micro\":0}},\"capabilities\":[]}}");
                        var in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
                        String line;
                        while ((line = in.readLine()) != null) {
                            Matcher m = REQUEST.matcher(line);
                            if (!m.find()) {
                                continue;
                            }
                            String command = m.group(1);
                            commands.add(command);
                            String result = switch (command) {
                                case "query-status" -> "{\"status\":\"" + status + "\",\"running\":" + status.equals("running") + "}";
                                case "stop" -> { status = "paused"; yield "{}"; }
                                case "cont" -> { status = "running"; yield "{}"; }
                                default -> "{}";
                            };
                            send(client, "{\"return\":" + result + ",\"id\":" + m.group(2) + "}");
                        }
                    } catch (IOException e) {
                        // the client left; serve the next one
                    }
                }
            } catch (Exception e) {
                // closed
            }
        }

        private static void send(SocketChannel c, String json) throws IOException {
            c.write(ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    @Test
    void pauseFreezesOnceAndUnpauseThaws() throws Exception {
        Path socket = dir.resolve("qmp.sock");
        try (FakeQmp qmp = new FakeQmp(socket)) {
            Duration t = Duration.ofSeconds(5);
            assertThat(GuestCpus.state(socket, t)).contains(RunState.RUNNING);
            assertThat(GuestCpus.pause(socket, t)).isEqualTo(RunState.RUNNING);
            assertThat(GuestCpus.state(socket, t)).contains(RunState.PAUSED);
            assertThat(GuestCpus.pause(socket, t)).as("already paused: nothing sent").isEqualTo(RunState.PAUSED);
            assertThat(qmp.commands.stream().filter("stop"::equals)).hasSize(1);
            assertThat(GuestCpus.resume(socket, t)).isEqualTo(RunState.PAUSED);
            assertThat(GuestCpus.state(socket, t)).contains(RunState.RUNNING);
            assertThat(qmp.commands).contains("cont");
        }
    }

    @Test
    void noSocketMeansTheStateIsUnknownNotAnError() {
        assertThat(GuestCpus.state(dir.resolve("none.sock"), Duration.ofMillis(200))).isEmpty();
    }
}
