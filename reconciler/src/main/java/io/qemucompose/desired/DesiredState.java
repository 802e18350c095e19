package io.qemucompose.desired;

import io.qemucompose.spec.NetworkSpec;
import io.qemucompose.spec.VolumeSpec;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every VM the compose file asks for, in file order, the named volumes and the networks it declares.
 *
 * @param inactiveVms VMs of the file left out by their {@code profiles:}: not wanted now, not orphans
 */
public record DesiredState(String project, Path projectDir, Map<String, DesiredVm> vms,
        Map<String, VolumeSpec> volumes, Map<String, NetworkSpec> networks, Set<String> inactiveVms) {
    public DesiredState {
        inactiveVms = Set.copyOf(inactiveVms);
        vms = Collections.unmodifiableMap(new LinkedHashMap<>(vms));
        volumes = Collections.unmodifiableMap(new LinkedHashMap<>(volumes));
        networks = Collections.unmodifiableMap(new LinkedHashMap<>(networks));
    }

    public DesiredState(String project, Path projectDir, Map<String, DesiredVm> vms,
            Map<String, VolumeSpec> volumes, Map<String, NetworkSpec> networks) {
        this(project, projectDir, vms, volumes, networks, Set.of());
    }

    /** A project without named volumes or networks. */
    public DesiredState(String project, Path projectDir, Map<String, DesiredVm> vms) {
        this(project, projectDir, vms, Map.of(), Map.of());
    }
}
