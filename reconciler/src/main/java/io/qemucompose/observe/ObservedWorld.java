package io.qemucompose.observe;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The world, read fresh: every VM instance of the project (those in the file and orphans), which
 * base images are already in the cache, and the disk size of each named volume of the file that
 * has a disk ({@code volumeSizes}: name → bytes; a missing name = no disk yet).
 */
public record ObservedWorld(Map<String, ObservedVm> vms, Set<String> cachedImages, boolean sshKeyExists,
        Map<String, Long> volumeSizes) {
    public ObservedWorld {
        vms = Collections.unmodifiableMap(new LinkedHashMap<>(vms));
        cachedImages = Set.copyOf(cachedImages);
        volumeSizes = Map.copyOf(volumeSizes);
    }

    /** A world with no named volume on disk. */
    public ObservedWorld(Map<String, ObservedVm> vms, Set<String> cachedImages, boolean sshKeyExists) {
        this(vms, cachedImages, sshKeyExists, Map.of());
    }

    public ObservedVm vm(String name) {
        return vms.getOrDefault(name, ObservedVm.absent(name));
    }
}
