package io.qemucompose.status;

import io.qemucompose.driver.net.PortLease;
import io.qemucompose.state.ProjectLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Which overlays use which base image, so that {@code image rm}/{@code prune} never pull a disk's
 * backing file from under it. The overlays are found in the current project and in every project
 * folder the user's port registry knows (each VM that ever started under user-mode networking
 * leased a port there); a project whose VMs never leased a port and that is not the current one
 * is not seen — the commands say so.
 */
public final class ImageUsers {

    /** One overlay resting on a base image. */
    public record Overlay(Path projectDir, String vm, Path overlay) {
        @Override
        public String toString() {
            return vm + " (" + projectDir + ")";
        }
    }

    private ImageUsers() {
    }

    /** Base image (absolute, normalised) → overlays using it, over the given projects. */
    public static Map<Path, List<Overlay>> scan(Path currentProject, Collection<PortLease> leases) {
        Set<Path> projects = new LinkedHashSet<>();
        projects.add(currentProject.toAbsolutePath().normalize());
        leases.forEach(l -> projects.add(l.projectDir().toAbsolutePath().normalize()));
        Map<Path, List<Overlay>> out = new TreeMap<>();
        for (Path project : projects) {
            for (Overlay overlay : overlays(project)) {
                backing(overlay.overlay()).ifPresent(base -> out.computeIfAbsent(base, b -> new ArrayList<>()).add(overlay));
            }
        }
        return out;
    }

    private static List<Overlay> overlays(Path project) {
        ProjectLayout layout = new ProjectLayout(project);
        return layout.instanceNames().stream()
                .map(vm -> new Overlay(project, vm, layout.overlayDisk(vm)))
                .filter(o -> Files.isRegularFile(o.overlay()))
                .toList();
    }

    private static Optional<Path> backing(Path overlay) {
        try {
            return QcowHeader.read(overlay).backingPath(overlay).map(p -> {
                try {
                    return p.toRealPath();
                } catch (IOException e) {
                    return p;
                }
            });
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
