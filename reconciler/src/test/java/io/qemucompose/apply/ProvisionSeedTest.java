package io.qemucompose.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.cloudinit.CloudInitConfig;
import io.qemucompose.driver.cloudinit.SeedRenderer;
import io.qemucompose.spec.ComposeFiles;
import io.qemucompose.spec.ComposeLoader;
import io.qemucompose.spec.VmSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvisionSeedTest {

    @TempDir
    Path dir;

    private VmSpec vm(String yaml) throws Exception {
        Path file = dir.resolve("qemu-compose.yaml");
        Files.writeString(file, yaml);
        return new ComposeLoader(Map.of()).load(ComposeFiles.locate(List.of(file.toString()), Map.of(), dir),
                Optional.of("demo")).vm("web");
    }

    @Test
    void stepsRunInOrderWithTheEnvironmentBeforeTheReadinessMarker() throws Exception {
        Files.writeString(dir.resolve("setup.sh"), "echo from-script > /tmp/script\n");
        Files.writeString(dir.resolve("app.conf"), "listen 80\n");
        VmSpec vm = vm("""
                vms:
                  web:
                    image: https://example.org/debian-12.qcow2
                    environment:
                      GREETING: it's me
                    provision:
                      - echo "$$GREETING" > /tmp/inline
                      - type: shell
                        script: ./setup.sh
                      - type: file
                        source: ./app.conf
                        destination: /etc/app.conf
                """);
        CloudInitConfig config = ProvisionSeed.with(CloudInitConfig.of("web", "debian", List.of("ssh-ed25519 AAAA k")), vm);
        String userData = new SeedRenderer().render(config).userData();
        assertThat(userData).contains("/var/lib/qemu-compose/provision/01.sh", "/var/lib/qemu-compose/provision/02.sh",
                "/etc/app.conf", "listen 80", "from-script", "/etc/profile.d/qemu-compose-environment.sh");
        assertThat(userData).contains("export GREETING='it'\\''s me'");
        assertThat(userData.indexOf("/bin/sh /var/lib/qemu-compose/provision/01.sh"))
                .isLessThan(userData.indexOf("/bin/sh /var/lib/qemu-compose/provision/02.sh"))
                .isLessThan(userData.indexOf("touch " + SeedRenderer.PROVISIONED_MARKER));
    }

    @Test
    void aVmWithoutProvisioningGetsNoExtraFiles() throws Exception {
        VmSpec vm = vm("""
                vms:
                  web:
                    image: https://example.org/debian-12.qcow2
                """);
        CloudInitConfig base = CloudInitConfig.of("web", "debian", List.of("ssh-ed25519 AAAA k"));
        assertThat(ProvisionSeed.with(base, vm)).isEqualTo(base);
    }
}
