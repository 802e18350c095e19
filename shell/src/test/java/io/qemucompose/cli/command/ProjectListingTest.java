package io.qemucompose.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.net.PortLease;
import io.qemucompose.driver.systemd.ActiveState;
import io.qemucompose.driver.systemd.UnitStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProjectListingTest {

    private static PortLease lease(String folder, String vm, int port) {
        return new PortLease(Path.of(folder), vm, port, Instant.EPOCH);
    }

    private static UnitStatus unit(String name, ActiveState state) {
        return new UnitStatus(name, "loaded", state, "running", 0, "");
    }

    @Test
    void everyFolderOfTheRegistryIsOneProjectWithItsStates() {
        List<ProjectListing.Row> rows = ProjectListing.of(
                List.of(lease("/home/u/shop", "web", 2222), lease("/home/u/shop", "db", 2223),
                        lease("/home/u/shop", "cache", 2224), lease("/srv/Lab 1", "box", 2225)),
                List.of(unit("qemu-compose-shop-web.service", ActiveState.ACTIVE),
                        unit("qemu-compose-shop-db.service", ActiveState.FAILED),
                        unit("qemu-compose-shop-reconciler.service", ActiveState.ACTIVE)));
        assertThat(rows).extracting(ProjectListing.Row::name).containsExactly("lab1", "shop");
        ProjectListing.Row shop = rows.get(1);
        assertThat(shop.folder()).isEqualTo(Path.of("/home/u/shop"));
        assertThat(shop.vms()).isEqualTo(3);
        assertThat(shop.states()).isEqualTo(Map.of("running", 1, "failed", 1, "stopped", 1));
        assertThat(shop.status()).isEqualTo("running(1), failed(1), stopped(1)");
        assertThat(shop.anyRunning()).isTrue();
        assertThat(rows.get(0).status()).isEqualTo("stopped(1)");
        assertThat(rows.get(0).anyRunning()).isFalse();
    }

    @Test
    void aProjectNamedWithDashPIsRecognisedByItsUnits() {
        List<ProjectListing.Row> rows = ProjectListing.of(
                List.of(lease("/srv/checkout", "web", 2222), lease("/srv/checkout", "api-1", 2223)),
                List.of(unit("qemu-compose-my-shop-web.service", ActiveState.ACTIVE),
                        unit("qemu-compose-my-shop-api-1.service", ActiveState.ACTIVATING)));
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("my-shop");
            assertThat(r.status()).isEqualTo("running(2)");
        });
    }

    @Test
    void tableAndJsonHaveDockerComposeLsColumns() {
        List<ProjectListing.Row> rows = ProjectListing.of(List.of(lease("/home/u/shop", "web", 2222)),
                List.of(unit("qemu-compose-shop-web.service", ActiveState.ACTIVE)));
        assertThat(LsCommand.table(rows)).isEqualTo(
                String.format("%-24s %-5s %-32s %s%n", "NAME", "VMS", "STATUS", "FOLDER")
                        + String.format("%-24s %-5s %-32s %s%n", "shop", 1, "running(1)", "/home/u/shop"));
        assertThat(JsonOutput.write(rows.stream().map(LsCommand::json).toList()))
                .contains("\"name\"").contains("\"shop\"").contains("\"folder\"").contains("\"states\"");
    }
}
