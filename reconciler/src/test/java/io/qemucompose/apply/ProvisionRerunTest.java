package io.qemucompose.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.spec.ComposeFiles;
import io.qemucompose.spec.ComposeLoader;
import io.qemucompose.spec.VmSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvisionRerunTest {

    @TempDir
    Path dir;

    @Test
    void rerunSendsTheSeedsOwnScriptsAsRootAndCopiesFilesAgain() throws Exception {
        Files.writeString(dir.resolve("app.conf"), "listen 80\n");
        Path file = dir.resolve("qemu-compose.yaml");
        Files.writeString(file, """
                vms:
                  web:
                    image: https://example.org/debian-12.qcow2
                    environment:
                      GREETING: it's me
                    provision:
                      - echo "$$GREETING" > /tmp/inline
                      - type: file
                        source: ./app.conf
                        destination: /etc/app/app.conf
                """);
        VmSpec vm = new ComposeLoader(Map.of()).load(ComposeFiles.locate(List.of(file.toString()), Map.of(), dir),
                Optional.of("demo")).vm("web");
        List<ProvisionRerun.RemoteStep> steps = ProvisionRerun.remoteSteps(vm);
        ProvisionSeed.Step.Script seeded = (ProvisionSeed.Step.Script) ProvisionSeed.steps(vm).getFirst();
        assertThat(steps).hasSize(2);
        assertThat(steps.get(0).command()).startsWith("sudo /bin/sh -c '#!/bin/sh\nset -e\nexport GREETING='\\''it'\\''\\'\\'''\\''s me'\\''\n")
                .endsWith("echo \"$GREETING\" > /tmp/inline\n'");
        assertThat(seeded.text()).contains("echo \"$GREETING\" > /tmp/inline");
        assertThat(steps.get(1).command()).isEqualTo("sudo mkdir -p /etc/app && printf %s "
                + Base64.getEncoder().encodeToString("listen 80\n".getBytes()) + " | base64 -d | sudo tee /etc/app/app.conf"
                + " >/dev/null && sudo chmod 0644 /etc/app/app.conf");
    }
}
