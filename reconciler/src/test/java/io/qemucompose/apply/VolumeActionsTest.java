package io.qemucompose.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.cloudinit.CloudInitConfig;
import io.qemucompose.spec.ComposeFiles;
import io.qemucompose.spec.ComposeLoader;
import io.qemucompose.spec.VmSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeActionsTest {

    @TempDir
    Path dir;

    @Test
    void aQuoteInAVolumeTargetDoesNotRunACommandInTheGuest() throws Exception {
        Path pwned = dir.resolve("pwned");
        // the compose file refuses spaces in a target, not quotes: ${IFS} is the space here
        Files.writeString(dir.resolve("qemu-compose.yaml"), """
                volumes:
                  data: {}
                vms:
                  web:
                    image: https://example.org/debian-12.qcow2
                    volumes:
                      - "data:/srv/x';touch${IFS}%s;'"
                """.replace("%s", pwned.toString()));
        VmSpec vm = new ComposeLoader(Map.of()).load(ComposeFiles.locate(List.of(dir.resolve("qemu-compose.yaml")
                .toString()), Map.of(), dir), Optional.of("demo")).vms().get("web");

        CloudInitConfig config = VolumeActions.withMounts(CloudInitConfig.of("web", "debian", List.of()), vm);
        String runcmd = config.runcmd().getFirst();

        // run the line as the guest's sh would, with a mountpoint that says "not mounted"
        Process sh = new ProcessBuilder("sh", "-c", "mountpoint() { return 1; }; " + runcmd).inheritIO().start();
        assertThat(sh.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pwned).doesNotExist();
        assertThat(runcmd).contains("mountpoint -q '/srv/x'\\'';");
    }
}
