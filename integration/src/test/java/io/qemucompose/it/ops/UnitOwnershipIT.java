package io.qemucompose.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.qemucompose.driver.systemd.SystemdUserManager;
import io.qemucompose.driver.systemd.TransientUnit;
import io.qemucompose.driver.systemd.UnitStatus;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.testkit.PrivateSystemdUser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two folders named {@code app} have the same unit names: {@code stop} and {@code destroy} in one
 * must leave the other's running unit alone (a {@code sleep} stands in for its VM; no VM boots).
 */
@Timeout(120)
class UnitOwnershipIT {

    @RegisterExtension
    static PrivateSystemdUser systemd = new PrivateSystemdUser();

    @TempDir
    Path home;

    private SystemdUserManager client;
    private final String unit = ProjectLayout.unitPrefix("app") + "web.service";

    @BeforeEach
    void connect() {
        client = systemd.connect();
    }

    @AfterEach
    void cleanUp() {
        client.stopUnit(unit, Duration.ofSeconds(30));
        client.close();
    }

    private Path folder(String parent) throws Exception {
        Path dir = Files.createDirectories(home.resolve(parent).resolve("app"));
        Files.writeString(dir.resolve("qemu-compose.yaml"), "vms:\n  web:\n    image: ./base.img\n");
        return dir;
    }

    /** Starts the unit as the project in {@code owner} would (its folder recorded or only its working directory). */
    private void startAsIfOwnedBy(Path owner, boolean recordsOwner) throws Exception {
        Path vmDir = Files.createDirectories(owner.resolve(".qemu-compose").resolve("web"));
        var builder = TransientUnit.service(unit, List.of("/bin/sleep", "300")).workingDirectory(vmDir);
        if (recordsOwner) {
            builder.environment("QEMU_COMPOSE_PROJECT_DIR", owner.toString());
        }
        assertThat(client.startTransientUnit(builder.build(), Duration.ofSeconds(30)).done()).isTrue();
        client.awaitState(unit, UnitStatus::isActive, Duration.ofSeconds(30));
    }

    @Test
    void stopAndDestroyLeaveTheUnitOfAnotherFolderWithTheSameProjectNameRunning() throws Exception {
        Path theirs = folder("one");
        Path mine = folder("two");
        startAsIfOwnedBy(theirs, true);
        Cli cli = new Cli(mine, Cli.environment(systemd.environment(), home));

        Cli.Run stop = cli.run("stop");

        assertThat(stop.exitCode()).as(stop.toString()).isNotZero();
        assertThat(stop.out() + stop.err()).contains(unit + " runs VM", "of the project in " + theirs, "-p NAME");
        assertThat(client.unit(unit).isActive()).isTrue();

        Cli.Run destroy = cli.run("destroy");
        assertThat(destroy.exitCode()).as(destroy.toString()).isNotZero();
        assertThat(destroy.out() + destroy.err()).contains(unit + " runs VM", "of the project in " + theirs, "-p NAME");
        assertThat(client.unit(unit).isActive()).isTrue();

        // the owner itself still stops it
        Cli.Run own = new Cli(theirs, Cli.environment(systemd.environment(), home)).run("stop");
        assertThat(own.exitCode()).as(own.toString()).isZero();
        assertThat(client.unit(unit).isStopped()).isTrue();
    }

    @Test
    void aUnitStartedBeforeOwnersWereRecordedIsKnownByItsWorkingDirectory() throws Exception {
        Path theirs = folder("one");
        Path mine = folder("two");
        startAsIfOwnedBy(theirs, false);

        Cli.Run stop = new Cli(mine, Cli.environment(systemd.environment(), home)).run("stop");

        assertThat(stop.exitCode()).as(stop.toString()).isNotZero();
        assertThat(stop.out() + stop.err()).contains(unit + " runs VM", "of the project in " + theirs);
        assertThat(client.unit(unit).isActive()).isTrue();
    }
}
