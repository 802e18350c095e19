package io.qemucompose.driver.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.qemucompose.driver.ExternalCommand;

class SshKeyPairTest {

    @TempDir
    Path tmp;

    @Test
    void generatesAnOpenSshEd25519KeyThatSshKeygenAccepts() throws Exception {
        Path key = tmp.resolve("ssh/id_ed25519");

        SshKeyPair pair = SshKeyPair.ensure(key);

        assertThat(Files.readString(key)).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(pair.publicKeyLine()).startsWith("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5").endsWith(" qemu-compose");
        assertThat(Files.readString(tmp.resolve("ssh/id_ed25519.pub")).strip()).isEqualTo(pair.publicKeyLine());
        // the real OpenSSH tool derives the same public key from our private key file
        ExternalCommand.Result derived = new ExternalCommand("ssh-keygen", "openssh-client")
                .run(List.of("-y", "-f", key.toString()), Duration.ofSeconds(10));
        assertThat(derived.succeeded()).as(derived.stderr()).isTrue();
        assertThat(derived.stdout().strip().split(" ")[1]).isEqualTo(pair.publicKeyLine().split(" ")[1]);
    }

    @Test
    void keepsAnExistingKeyAndRestoresAMissingPublicFile() throws Exception {
        Path key = tmp.resolve("id_ed25519");
        SshKeyPair first = SshKeyPair.ensure(key);
        String privateBefore = Files.readString(key);
        Files.delete(first.publicKey());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        SshKeyPair again = SshKeyPair.ensure(key);

        assertThat(again.publicKeyLine()).isEqualTo(first.publicKeyLine());
        assertThat(Files.readString(key)).isEqualTo(privateBefore);
        assertThat(Files.readString(again.publicKey()).strip()).isEqualTo(first.publicKeyLine());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    }
}
