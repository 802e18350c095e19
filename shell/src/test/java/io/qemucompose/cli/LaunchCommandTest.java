package io.qemucompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code launch}: the desired state grows by a VM without the user's file changing, and every command sees it. */
class LaunchCommandTest {

    @TempDir
    Path dir;

    private Path image;

    @BeforeEach
    void project() throws Exception {
        image = Files.writeString(dir.resolve("base.qcow2"), "not really an image");
        Files.writeString(dir.resolve("qemu-compose.yaml"), """
                name: shop
                vms:
                  web:
                    image: ./base.qcow2
                """);
    }

    @Test
    void aLaunchedVmJoinsTheDesiredStateOfEveryCommand() throws Exception {
        String file = Files.readString(dir.resolve("qemu-compose.yaml"));
        CliRun launch = CliRun.run(dir, "launch", "worker", "--image", "base.qcow2", "--cpu", "2", "--memory", "768",
                "--no-start");
        assertThat(launch.exitCode()).as(launch.err()).isZero();
        assertThat(launch.out()).contains("Launched worker").contains(".qemu-compose/launched.yaml");
        assertThat(Files.readString(dir.resolve("qemu-compose.yaml"))).isEqualTo(file);

        CliRun vms = CliRun.run(dir, "config", "--vms");
        assertThat(vms.out().lines()).containsExactly("web", "worker");
        CliRun config = CliRun.run(dir, "config", "--format", "json", "worker");
        assertThat(config.out()).contains("\"cpu\" : 2").contains(image.toString());
    }

    @Test
    void aNameInTheDesiredStateAlreadyIsRefused() throws Exception {
        CliRun again = CliRun.run(dir, "launch", "web", "--image", "base.qcow2", "--no-start");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("refused: a VM named 'web' is in the desired state already");
        assertThat(dir.resolve(".qemu-compose/launched.yaml")).doesNotExist();
    }

    @Test
    void aLaunchTheLoaderRefusesLeavesTheFileAsItWas() throws Exception {
        assertThat(CliRun.run(dir, "launch", "a", "--image", "base.qcow2", "--no-start").exitCode()).isZero();
        String before = Files.readString(dir.resolve(".qemu-compose/launched.yaml"));
        CliRun bad = CliRun.run(dir, "launch", "b", "--image", "base.qcow2", "--memory", "lots", "--no-start");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("launched.yaml:").contains("vms.b.memory");
        assertThat(Files.readString(dir.resolve(".qemu-compose/launched.yaml"))).isEqualTo(before);
    }
}
