package io.qemucompose.observe;

import io.qemucompose.driver.systemd.ServiceSettings;
import io.qemucompose.driver.systemd.UnitManager;
import io.qemucompose.state.ProjectLayout;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which project folder a VM unit belongs to. Unit names are {@code qemu-compose-<project>-<vm>},
 * and project names collide: two folders named {@code app}, or {@code shop} + VM {@code api-db}
 * and {@code shop-api} + VM {@code db}. So every VM unit carries its folder in
 * {@code Environment=QEMU_COMPOSE_PROJECT_DIR=…} (QEMU ignores it; systemd reports it back), and a
 * unit started before that is recognised by its {@code WorkingDirectory=}, the VM's folder under
 * {@code <project>/.qemu-compose/}.
 */
public final class UnitOwners {

    public static final String PROJECT_DIR_ENV = "QEMU_COMPOSE_PROJECT_DIR";

    private UnitOwners() {
    }

    /** The project folder that started the unit, when the unit tells. */
    public static Optional<Path> owner(ServiceSettings settings) {
        String recorded = settings.environment().get(PROJECT_DIR_ENV);
        if (recorded != null && !recorded.isEmpty()) {
            return Optional.of(Path.of(recorded).toAbsolutePath().normalize());
        }
        return settings.workingDirectory()
                .map(dir -> dir.toAbsolutePath().normalize().getParent())
                .filter(stateDir -> stateDir != null && stateDir.getFileName() != null
                        && stateDir.getFileName().toString().equals(ProjectLayout.STATE_DIR))
                .map(Path::getParent);
    }

    /** The other folder owning {@code unit}, if another folder does. */
    public static Optional<Path> otherOwner(UnitManager systemd, String unit, Path projectDir) {
        Path ours = real(projectDir);
        return owner(systemd.serviceSettings(unit)).filter(owner -> !real(owner).equals(ours));
    }

    /** One folder reached through two paths (a symlink, a bind mount) is still one project. */
    private static Path real(Path dir) {
        try {
            return dir.toRealPath();
        } catch (java.io.IOException e) {
            return dir.toAbsolutePath().normalize();
        }
    }
}
