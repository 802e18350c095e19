package io.qemucompose.it.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qemucompose.driver.qemu.ConsoleBusyException;
import io.qemucompose.driver.qemu.QmpClient;
import io.qemucompose.driver.qemu.SerialConsole;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SerialConsoleIT {

    private static final Duration ACCEPT = Duration.ofSeconds(1);
    private static final Duration BOOT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void consoleLogKeepsGuestOutputWhileNobodyIsAttached() throws Exception {
        try (TestVm vm = TestVm.startEcho(dir)) {
            awaitFileContains(vm.files().consoleLog(), "QC-ECHO READY", BOOT);
        }
    }

    @Test
    void bytesTypedOnTheConsoleReachTheGuestAndItsAnswerComesBack() throws Exception {
        try (TestVm vm = TestVm.startEcho(dir)) {
            awaitFileContains(vm.files().consoleLog(), "QC-ECHO READY", BOOT);
            try (SerialConsole console = SerialConsole.attach(vm.files().consoleSocket(), ACCEPT)) {
                console.write(ByteBuffer.wrap("ping-42".getBytes(StandardCharsets.US_ASCII)));
                assertThat(readUntil(console, "ping-42", Duration.ofSeconds(20))).contains("ping-42");
            }
            awaitFileContains(vm.files().consoleLog(), "ping-42", Duration.ofSeconds(10));
        }
    }

    @Test
    void aSecondClientGetsAClearMessageAndTheFirstKeepsWorking() throws Exception {
        try (TestVm vm = TestVm.startEcho(dir); QmpClient qmp = QmpClient.connect(vm.files().qmpSocket(), Duration.ofSeconds(20))) {
            awaitFileContains(vm.files().consoleLog(), "QC-ECHO READY", BOOT);
            try (SerialConsole first = SerialConsole.attach(vm.files().consoleSocket(), ACCEPT)) {
                assertThatThrownBy(() -> SerialConsole.attach(vm.files().consoleSocket(), ACCEPT))
                        .isInstanceOf(ConsoleBusyException.class).hasMessageContaining("attached elsewhere");
                first.write(ByteBuffer.wrap("still-mine".getBytes(StandardCharsets.US_ASCII)));
                assertThat(readUntil(first, "still-mine", Duration.ofSeconds(20))).contains("still-mine");
            }
            // after the first client leaves, the console is free again
            awaitChardevDisconnected(qmp);
            try (SerialConsole again = SerialConsole.attach(vm.files().consoleSocket(), ACCEPT)) {
                again.write(ByteBuffer.wrap("again".getBytes(StandardCharsets.US_ASCII)));
                assertThat(readUntil(again, "again", Duration.ofSeconds(20))).contains("again");
            }
        }
    }

    @Test
    void aClientParkedBehindAForeignOneIsRefusedToo() throws Exception {
        try (TestVm vm = TestVm.startEcho(dir)) {
            awaitFileContains(vm.files().consoleLog(), "QC-ECHO READY", BOOT);
            // a foreign client (socat, nc) that connected without our checks
            try (var foreign = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(vm.files().consoleSocket()))) {
                assertThat(foreign.isConnected()).isTrue();
                assertThatThrownBy(() -> SerialConsole.attach(vm.files().consoleSocket(), ACCEPT))
                        .isInstanceOf(ConsoleBusyException.class);
            }
        }
    }

    @Test
    void bridgeCopiesBothWaysAndDetachesOnCtrlRightBracket() throws Exception {
        try (TestVm vm = TestVm.startEcho(dir)) {
            awaitFileContains(vm.files().consoleLog(), "QC-ECHO READY", BOOT);
            var keys = new LinkedBlockingQueue<Integer>();
            var screen = new WatchedOutput();
            InputStream terminal = new InputStream() {
                @Override
                public int read() throws IOException {
                    try {
                        return keys.take();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    b[off] = (byte) read();
                    return 1;
                }
            };
            "hello".chars().forEach(keys::add);
            var session = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try (SerialConsole console = SerialConsole.attach(vm.files().consoleSocket(), ACCEPT)) {
                    return console.bridge(terminal, screen);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            screen.awaitContains("hello", Duration.ofSeconds(20));
            keys.add(SerialConsole.DETACH_BYTE);
            assertThat(session.get(10, TimeUnit.SECONDS)).isEqualTo(SerialConsole.Detach.DETACH_KEY);
            // the detach key itself never reached the guest
            assertThat(Files.readString(vm.files().consoleLog())).doesNotContain("\u001d");
        }
    }

    @Test
    void attachingToAStoppedVmFailsWithoutBusyMessage() {
        assertThatThrownBy(() -> SerialConsole.attach(dir.resolve("console.sock"), ACCEPT))
                .isInstanceOf(IOException.class).isNotInstanceOf(ConsoleBusyException.class);
    }

    private static String readUntil(SerialConsole console, String wanted, Duration timeout) throws Exception {
        var seen = new ByteArrayOutputStream();
        var reading = java.util.concurrent.CompletableFuture.runAsync(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(256);
            try {
                while (!seen.toString(StandardCharsets.US_ASCII).contains(wanted) && console.read(buffer) >= 0) {
                    seen.write(buffer.array(), 0, buffer.position());
                    buffer.clear();
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        reading.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return seen.toString(StandardCharsets.US_ASCII);
    }

    static void awaitFileContains(Path file, String wanted, Duration timeout) throws Exception {
        org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.exists(file) && Files.readString(file, StandardCharsets.ISO_8859_1).contains(wanted));
    }

    private static void awaitChardevDisconnected(QmpClient qmp) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> qmp.execute("query-chardev").valueStream()
                        .anyMatch(c -> c.path("label").asString().equals("serial0")
                                && c.path("filename").asString().startsWith("disconnected:")));
    }

    /** Terminal output a test can wait on. */
    private static final class WatchedOutput extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
            notifyAll();
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
            notifyAll();
        }

        synchronized void awaitContains(String wanted, Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            while (!bytes.toString(StandardCharsets.US_ASCII).contains(wanted)) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("terminal never showed '" + wanted + "', got: " + bytes);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }
}
