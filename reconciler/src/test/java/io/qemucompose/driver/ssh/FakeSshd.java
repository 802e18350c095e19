package io.qemucompose.driver.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;

/**
 * A MINA SSHD server on 127.0.0.1 that accepts one public key and answers commands:
 * {@code emit <out> <err> <code>} prints and exits with code; the readiness probe gets
 * {@code status: <cloudInitStatus>}.
 */
final class FakeSshd implements AutoCloseable {

    final SshServer server;
    final AtomicReference<String> cloudInitStatus = new AtomicReference<>("done");

    FakeSshd(String authorizedKeyLine, Path hostKeyFile, int port) throws Exception {
        PublicKey allowed = AuthorizedKeyEntry.parseAuthorizedKeyEntry(authorizedKeyLine)
                .resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(port);
        SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider(hostKeyFile);
        hostKeys.setAlgorithm("EC");
        hostKeys.setKeySize(256);
        server.setKeyPairProvider(hostKeys);
        server.setPublickeyAuthenticator((user, key, session) -> "debian".equals(user) && key.equals(allowed));
        server.setCommandFactory((channel, command) -> new Answer(command));
        server.start();
    }

    int port() {
        return server.getPort();
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    private final class Answer implements Command {
        private final String command;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        Answer(String command) {
            this.command = command;
        }

        @Override
        public void setInputStream(InputStream in) {
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            Thread.ofVirtual().start(() -> {
                int code = 0;
                try {
                    if (command.equals(SshClient.PROBE_COMMAND)) {
                        out.write(("status: " + cloudInitStatus.get() + "\n").getBytes(StandardCharsets.UTF_8));
                    } else if (command.startsWith("emit ")) {
                        String[] parts = command.split(" ");
                        out.write((parts[1] + "\n").getBytes(StandardCharsets.UTF_8));
                        err.write((parts[2] + "\n").getBytes(StandardCharsets.UTF_8));
                        code = Integer.parseInt(parts[3]);
                    } else {
                        err.write(("unknown command: " + command + "\n").getBytes(StandardCharsets.UTF_8));
                        code = 127;
                    }
                    out.flush();
                    err.flush();
                } catch (IOException e) {
                    code = 255;
                }
                exit.onExit(code);
            });
        }

        @Override
        public void destroy(ChannelSession channel) {
        }
    }
}
