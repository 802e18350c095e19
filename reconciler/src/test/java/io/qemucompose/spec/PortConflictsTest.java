package io.qemucompose.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host ports asked for twice are refused at load time, naming both places. */
class PortConflictsTest {
    private static final String IMAGE = "https://example.org/debian.qcow2";
    @TempDir
    Path dir;

    private ComposeProject load(String yaml) throws Exception {
        Path file = dir.resolve("qemu-compose.yaml");
        Files.writeString(file, yaml.replace("IMAGE", IMAGE));
        return new ComposeLoader(Map.of()).load(ComposeSource.of(file), Optional.empty());
    }

    private String at(int line, int column) {
        return dir.resolve("qemu-compose.yaml") + ":" + line + ":" + column;
    }

    @Test
    void theSameHostPortOnTwoVmsIsRefused() {
        assertThatThrownBy(() -> load("""
                vms:
                  web:
                    image: IMAGE
                    ports: ["8080:80"]
                  api:
                    image: IMAGE
                    ports:
                      - "8080:8000"
                """))
                .isInstanceOf(ComposeFileException.class)
                .hasMessageContaining(at(8, 9) + ": vms.api.ports[0]: host port 127.0.0.1:8080/tcp is also published by "
                        + "vms.web.ports[0] at " + at(4, 13));
    }

    @Test
    void theWildcardAddressConflictsWithLoopbackButOtherProtocolsDoNot() throws Exception {
        assertThatThrownBy(() -> load("""
                vms:
                  web:
                    image: IMAGE
                    ports: ["0.0.0.0:8080:80"]
                  api:
                    image: IMAGE
                    ports: ["127.0.0.1:8080:80"]
                """)).hasMessageContaining("vms.api.ports[0]: host port 127.0.0.1:8080/tcp is also published by vms.web.ports[0]");
        assertThat(load("""
                vms:
                  web:
                    image: IMAGE
                    ports: ["8080:80", "8080:53/udp"]
                  api:
                    image: IMAGE
                    ports: ["192.168.1.5:8080:80"]
                """).vms()).hasSize(2);
    }

    @Test
    void aPublishedPortEqualToAFixedSshPortIsRefused() {
        assertThatThrownBy(() -> load("""
                vms:
                  web:
                    image: IMAGE
                    ssh:
                      port: 2250
                  api:
                    image: IMAGE
                    ports: ["2250:22"]
                """)).hasMessageContaining(at(8, 13) + ": vms.api.ports[0]: host port 127.0.0.1:2250/tcp is also the fixed "
                + "SSH port vms.web.ssh.port at " + at(5, 13));
    }

    @Test
    void theSameFixedSshPortTwiceIsRefused() {
        assertThatThrownBy(() -> load("""
                vms:
                  web:
                    image: IMAGE
                    ssh: {port: 2250}
                  api:
                    image: IMAGE
                    ssh: {port: 2250}
                """)).hasMessageContaining(at(7, 17) + ": vms.api.ssh.port: host port 127.0.0.1:2250/tcp is also the fixed "
                + "SSH port vms.web.ssh.port at " + at(4, 17));
    }
}
