package io.qemucompose.daemon.api;

import io.qemucompose.driver.qemu.ConsoleBusyException;
import io.qemucompose.driver.qemu.SerialConsole;
import io.qemucompose.state.ProjectLayout;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The VM sockets the page's WebSockets reach: the serial console and the VNC display. Where VNC is
 * comes from the VM itself: its Unix socket when {@code vnc: true}, else the loopback port QEMU
 * reports ({@code qmp VM query-vnc}, the CLI's own command), which also covers {@code display: auto}.
 */
final class VmSockets {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ProjectLayout layout;
    private final CommandFace commands;

    VmSockets(ProjectLayout layout, CommandFace commands) {
        this.layout = layout;
        this.commands = commands;
    }

    /** The serial console; QEMU takes one client, so a console attached elsewhere is refused, not queued. */
    SocketBridge.Link console(String vm) throws IOException {
        Path socket = layout.reachableSocket(layout.consoleSocket(vm));
        if (!Files.exists(socket)) {
            throw new IOException("VM " + vm + " is not running");
        }
        try {
            SerialConsole console = SerialConsole.attach(socket, Duration.ofMillis(500));
            return new SocketBridge.Link() {
                @Override
                public int read(ByteBuffer buffer) throws IOException {
                    return console.read(buffer);
                }

                @Override
                public void write(ByteBuffer bytes) throws IOException {
                    console.write(bytes);
                }

                @Override
                public void close() throws IOException {
                    console.close();
                }
            };
        } catch (ConsoleBusyException e) {
            throw new IOException("the console of " + vm + " is in use by another client");
        }
    }

    SocketBridge.Link vnc(String vm) throws IOException {
        Path socket = layout.reachableSocket(layout.vncSocket(vm));
        if (Files.exists(socket)) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            return link(channel);
        }
        CommandFace.Outcome outcome = commands.run("qmp", vm, "query-vnc");
        if (!outcome.succeeded()) {
            throw new IOException(outcome.err().strip().replaceAll("(?m)^qemu-compose: ", "").lines().findFirst()
                    .orElse("VM " + vm + " has no VNC display"));
        }
        JsonNode vnc = JSON.readTree(outcome.out());
        String host = vnc.path("host").asString("");
        int port = vnc.path("service").asInt(0);
        if (!vnc.path("enabled").asBoolean(false) || port == 0) {
            throw new IOException("VM " + vm + " has no VNC display");
        }
        if (!host.equals("127.0.0.1")) {
            throw new IOException("VM " + vm + " serves VNC on " + host + ", not on loopback: refused");
        }
        SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        return link(channel);
    }

    private static SocketBridge.Link link(SocketChannel channel) {
        return new SocketBridge.Link() {
            @Override
            public int read(ByteBuffer buffer) throws IOException {
                return channel.read(buffer);
            }

            @Override
            public void write(ByteBuffer bytes) throws IOException {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }
}
