package io.qemucompose.apply;

import java.nio.file.Path;
import java.util.Optional;

import io.qemucompose.driver.systemd.ServiceSettings;
import io.qemucompose.driver.systemd.UnitManager;
import io.qemucompose.state.ProjectLayout;

/**
 * Which project folder a VM unit belongs to. Unit names are {@code qemu-compose-<project>-<vm>},
 * and project names collide: two folders named {@code app}, or {@code shop} + VM {@code api-db}
 * and {@code shop-api} + VM {@code db}. So every VM unit carries its folder in
 * {@code Environment=QEMU_COMPOSE_PROJECT_DIR=…} (QEMU ignores it; systemd reports it back), and a
 * unit started before that is recognised by its {@code WorkingDirectory=}, the VM's folder under
 * {@code <project>/.qemu-compose/}. A unit of another folder is never adopted nor stopped.
 */
final class UnitOwnership {

    static final String PROJECT_DIR_ENV = "QEMU_COMPOSE_PROJECT_DIR";

    private UnitOwnership() {
    }

    /** The project folder that started the unit, when the unit tells. */
    static Optional<Path> owner(ServiceSettings settings) {
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
    static Optional<Path> otherOwner(UnitManager systemd, String unit, Path projectDir) {
        Path ours = projectDir.toAbsolutePath().normalize();
        return owner(systemd.serviceSettings(unit)).filter(owner -> !owner.equals(ours));
    }

    /** Refuses to {@code verb} a unit another project folder started. */
    static void requireOurs(ApplyContext ctx, String vm, String unit, String verb) {
        otherOwner(ctx.drivers().systemd(), unit, ctx.project().projectDir()).ifPresent(owner -> {
            throw new UnitOwnedElsewhereException("will not " + verb + " " + unit + ": it runs VM '" + vm
                    + "' of the project in " + owner + ", which has the same project name '" + ctx.project().name()
                    + "' as " + ctx.project().projectDir() + "; give this project another name with -p NAME"
                    + " (or `name:` in the compose file)");
        });
    }
}
