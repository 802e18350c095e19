package io.qemucompose.observe;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The world, read fresh: every VM instance of the project (those in the file and orphans), which
 * base images are already in the cache, the disk size of each named volume of the file that
 * has a disk ({@code volumeSizes}: name → bytes; a missing name = no disk yet), every network
 * of the file or recorded in networks.json, and whether this process may create bridges and
 * TAPs ({@code netAdmin}: CAP_NET_ADMIN, or the rootless mode; when not, {@code networksUnavailable}
 * says why, or is empty when nobody asked), and the VMs whose unit name is taken by a unit another
 * project folder started ({@code foreignUnits}: VM → that folder; two projects with the same name).
 */
public record ObservedWorld(Map<String, ObservedVm> vms, Set<String> cachedImages, boolean sshKeyExists,
        Map<String, Long> volumeSizes, Map<String, ObservedNetwork> networks, boolean netAdmin,
        Map<String, java.nio.file.Path> foreignUnits, String networksUnavailable) {
    public ObservedWorld {
        java.util.Objects.requireNonNull(networksUnavailable, "networksUnavailable");
        foreignUnits = Map.copyOf(foreignUnits);
        vms = Collections.unmodifiableMap(new LinkedHashMap<>(vms));
        cachedImages = Set.copyOf(cachedImages);
        volumeSizes = Map.copyOf(volumeSizes);
        networks = Collections.unmodifiableMap(new LinkedHashMap<>(networks));
    }

    /**
     * @param netAdmin            whether bridge networks can be made here: CAP_NET_ADMIN (host mode) or the
     *                            project's own namespace (rootless mode)
     */
    public ObservedWorld(Map<String, ObservedVm> vms, Set<String> cachedImages, boolean sshKeyExists,
            Map<String, Long> volumeSizes, Map<String, ObservedNetwork> networks, boolean netAdmin,
            Map<String, java.nio.file.Path> foreignUnits) {
        this(vms, cachedImages, sshKeyExists, volumeSizes, networks, netAdmin, foreignUnits, "");
    }

    /** A world with no named volume on disk and no network. */
    public ObservedWorld(Map<String, ObservedVm> vms, Set<String> cachedImages, boolean sshKeyExists) {
        this(vms, cachedImages, sshKeyExists, Map.of());
    }

    /** A world where every unit of the project's name is the project's own. */
    public ObservedWorld(Map<String, ObservedVm> vms, Set<String> cachedImages, boolean sshKeyExists,
            Map<String, Long> volumeSizes, Map<String, ObservedNetwork> networks, boolean netAdmin) {
        this(vms, cachedImages, sshKeyExists, volumeSizes, networks, netAdmin, Map.of());
    }

    /** A world with no network. */
    public ObservedWorld(Map<String, ObservedVm> vms, Set<String> cachedImages, boolean sshKeyExists,
            Map<String, Long> volumeSizes) {
        this(vms, cachedImages, sshKeyExists, volumeSizes, Map.of(), true);
    }

    public ObservedNetwork network(String name) {
        return networks.getOrDefault(name, ObservedNetwork.absent(name));
    }

    public ObservedVm vm(String name) {
        return vms.getOrDefault(name, ObservedVm.absent(name));
    }
}
