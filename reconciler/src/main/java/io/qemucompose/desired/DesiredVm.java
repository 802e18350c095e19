package io.qemucompose.desired;

import io.qemucompose.spec.VmSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one VM should look like: its spec, the unit that runs it, and its fields in display order
 * (each with the effect a change has). The fields are what {@code state.json} records as applied,
 * so a later plan can say {@code memory: 1024 MB -> 2048 MB (restart)}.
 *
 * @param seedHash the cloud-init instance-id (a hash of the rendered seed), so cloud-init
 *     re-applies an edited seed on the next boot
 * @param startAfter VMs whose unit must be started before this one ({@code service_started})
 * @param readyAfter VMs that must be ready before this one starts ({@code service_healthy} and
 *     {@code service_completed_successfully})
 */
public record DesiredVm(String name, String unit, VmSpec spec, Map<String, Field> fields, String seedHash,
        List<String> startAfter, List<String> readyAfter) {

    public DesiredVm {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        startAfter = List.copyOf(startAfter);
        readyAfter = List.copyOf(readyAfter);
    }

    /** The applied form recorded in state: field name → value. */
    public Map<String, String> fieldValues() {
        Map<String, String> out = new LinkedHashMap<>();
        fields.forEach((k, f) -> out.put(k, f.value().encode()));
        return out;
    }

    public Optional<Integer> fixedSshPort() {
        return spec.sshPort();
    }
}
