package io.qemucompose.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qemucompose.cli.UserFacingException;
import io.qemucompose.spec.ComposeFiles;
import io.qemucompose.spec.ComposeLoader;
import io.qemucompose.spec.PortMapping;
import io.qemucompose.spec.VmSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortLookupTest {

    @TempDir
    Path dir;

    private VmSpec web() throws Exception {
        Path file = dir.resolve("qemu-compose.yaml");
        Files.writeString(file, """
                vms:
                  web:
                    image: https://example.org/debian-12.qcow2
                    ports:
                      - "8080:80"
                      - "0.0.0.0:5353:53/udp"
                """);
        return new ComposeLoader(Map.of()).load(ComposeFiles.locate(List.of(file.toString()), Map.of(), dir),
                Optional.of("demo")).vms().get("web");
    }

    @Test
    void publishedPortsAnswerWithTheirHostAddress() throws Exception {
        VmSpec web = web();
        assertThat(PortLookup.find(web, Optional.of(2222), PortLookup.parse("80"))).contains("127.0.0.1:8080");
        assertThat(PortLookup.find(web, Optional.of(2222), PortLookup.parse("80/tcp"))).contains("127.0.0.1:8080");
        assertThat(PortLookup.find(web, Optional.of(2222), PortLookup.parse("53/udp"))).contains("0.0.0.0:5353");
    }

    @Test
    void sshIsTheLeasedForward() throws Exception {
        assertThat(PortLookup.find(web(), Optional.of(2231), PortLookup.parse("22"))).contains("127.0.0.1:2231");
        assertThat(PortLookup.find(web(), Optional.empty(), PortLookup.parse("22"))).as("never started").isEmpty();
    }

    @Test
    void anUnpublishedPortOrProtocolIsEmpty() throws Exception {
        assertThat(PortLookup.find(web(), Optional.of(2222), PortLookup.parse("443"))).isEmpty();
        assertThat(PortLookup.find(web(), Optional.of(2222), PortLookup.parse("80/udp"))).isEmpty();
    }

    @Test
    void malformedGuestPortsAreUsageErrors() {
        assertThat(PortLookup.parse("53/UDP").protocol()).isEqualTo(PortMapping.Protocol.UDP);
        for (String bad : new String[] {"http", "0", "70000", "80/sctp", "80/tcp/x", ""}) {
            assertThatThrownBy(() -> PortLookup.parse(bad)).as(bad).isInstanceOf(UserFacingException.class)
                    .hasMessageContaining("is not a guest port");
        }
    }
}
