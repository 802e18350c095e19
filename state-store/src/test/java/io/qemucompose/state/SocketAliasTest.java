package io.qemucompose.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketAliasTest {

    @TempDir
    Path tmp;

    @Test
    void shortSocketPathIsUsedAsItIs() {
        ProjectLayout layout = new ProjectLayout(tmp.resolve("p"), new SocketAlias(tmp.resolve("alias")));
        Path qmp = layout.qmpSocket("web");
        assertThat(SocketAlias.fits(qmp)).isTrue();
        assertThat(layout.reachableSocket(qmp)).isEqualTo(qmp);
        assertThat(tmp.resolve("alias")).doesNotExist();
    }

    @Test
    void tooLongSocketPathIsReachableThroughAShortPrivateAlias() throws Exception {
        Path deep = tmp.resolve("a-very-long-folder-name-for-a-project".repeat(3)).resolve("more-depth");
        ProjectLayout layout = new ProjectLayout(deep, new SocketAlias(tmp.resolve("qc")));
        Files.createDirectories(layout.vmDir("web"));
        Path real = layout.qmpSocket("web");
        assertThat(SocketAlias.fits(real)).isFalse();

        Path alias = layout.reachableSocket(real);
        assertThat(SocketAlias.fits(alias)).isTrue();
        assertThat(alias.getFileName().toString()).isEqualTo("qmp.sock");
        // deterministic: a client computes the same alias as the server
        assertThat(new ProjectLayout(deep, new SocketAlias(tmp.resolve("qc"))).reachableSocket(real)).isEqualTo(alias);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("qc"))))
                .isEqualTo("rwx------");

        // the server binds through the alias (as QEMU will), the socket lands in the real folder
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(alias));
            assertThat(real).exists();
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(alias));
                 SocketChannel accepted = server.accept()) {
                client.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
                ByteBuffer in = ByteBuffer.allocate(5);
                while (in.hasRemaining()) {
                    accepted.read(in);
                }
                assertThat(new String(in.array(), StandardCharsets.US_ASCII)).isEqualTo("hello");
            }
        }

        layout.forgetSocketAliases("web");
        assertThat(Files.exists(alias.getParent(), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void namesThatWouldEscapeTheStateFolderAreRefused() {
        ProjectLayout layout = new ProjectLayout(tmp);
        for (String bad : new String[] {"..", "../x", "a/b", ".hidden", "-rf", ""}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> layout.vmDir(bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(layout.overlayDisk("web")).isEqualTo(tmp.resolve(".qemu-compose/web/disk.qcow2"));
        assertThat(layout.sshPrivateKey()).isEqualTo(tmp.resolve(".qemu-compose/ssh/id_ed25519"));
    }
}
