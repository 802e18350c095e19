package io.qemucompose.spec;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fully resolved, validated compose project: interpolated, defaults filled, paths absolute,
 * every reference checked. Maps keep file order.
 *
 * @param name project name (already valid for unit and interface names, see {@link Names})
 * @param projectDir folder of the first compose file; {@code .qemu-compose/} lives here
 * @param files the compose files, in merge order
 */
public record ComposeProject(String name, Path projectDir, List<Path> files,
        Map<String, NetworkSpec> networks, Map<String, VolumeSpec> volumes, Map<String, VmSpec> vms) {

    public ComposeProject {
        files = List.copyOf(files);
        networks = ordered(networks);
        volumes = ordered(volumes);
        vms = ordered(vms);
    }

    static <V> Map<String, V> ordered(Map<String, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    public VmSpec vm(String vmName) {
        VmSpec vm = vms.get(vmName);
        if (vm == null) {
            throw new IllegalArgumentException("no VM named '" + vmName + "' in project " + name);
        }
        return vm;
    }
}
