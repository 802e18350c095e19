package io.qemucompose.desired;

import io.qemucompose.spec.VolumeSpec;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every VM the compose file asks for, in file order, and the named volumes it declares. */
public record DesiredState(String project, Path projectDir, Map<String, DesiredVm> vms,
        Map<String, VolumeSpec> volumes) {
    public DesiredState {
        vms = Collections.unmodifiableMap(new LinkedHashMap<>(vms));
        volumes = Collections.unmodifiableMap(new LinkedHashMap<>(volumes));
    }

    /** A project without named volumes. */
    public DesiredState(String project, Path projectDir, Map<String, DesiredVm> vms) {
        this(project, projectDir, vms, Map.of());
    }
}
