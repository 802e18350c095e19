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
 * {@code <project>/.qemu-compose/} (see {@link io.qemucompose.observe.UnitOwners}). A unit of another
 * folder is never adopted nor stopped; the planner already refuses such a plan.
 */
final class UnitOwnership {

    static final String PROJECT_DIR_ENV = io.qemucompose.observe.UnitOwners.PROJECT_DIR_ENV;

    private UnitOwnership() {
    }

    static Optional<Path> owner(ServiceSettings settings) {
        return io.qemucompose.observe.UnitOwners.owner(settings);
    }

    static Optional<Path> otherOwner(UnitManager systemd, String unit, Path projectDir) {
        return io.qemucompose.observe.UnitOwners.otherOwner(systemd, unit, projectDir);
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
