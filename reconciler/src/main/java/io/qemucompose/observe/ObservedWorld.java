package io.qemucompose.observe;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The world, read fresh: every VM instance of the project (those in the file and orphans) and
 * which base images are already in the cache.
 */
public record ObservedWorld(Map<String, ObservedVm> vms, Set<String> cachedImages, boolean sshKeyExists) {
    public ObservedWorld {
        vms = Collections.unmodifiableMap(new LinkedHashMap<>(vms));
        cachedImages = Set.copyOf(cachedImages);
    }

    public ObservedVm vm(String name) {
        return vms.getOrDefault(name, ObservedVm.absent(name));
    }
}
