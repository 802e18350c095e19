package io.qemucompose.desired;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every VM the compose file asks for, in file order. */
public record DesiredState(String project, Path projectDir, Map<String, DesiredVm> vms) {
    public DesiredState {
        vms = Collections.unmodifiableMap(new LinkedHashMap<>(vms));
    }
}
