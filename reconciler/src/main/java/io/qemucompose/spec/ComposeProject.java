package io.qemucompose.spec;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A fully resolved, validated compose project: interpolated, defaults filled, paths absolute,
 * every reference checked. Maps keep file order.
 *
 * @param name project name (already valid for unit and interface names, see {@link Names})
 * @param projectDir folder of the first compose file; {@code .qemu-compose/} lives here
 * @param files the compose files, in merge order
 * @param extensions the {@code x-} fields, kept for {@code config}; nothing else reads them
 * @param warnings what the user should fix although the project loads (e.g. an obsolete
 *     {@code version:}), one line each, for the CLI to print on stderr
 * @param inactiveVms VMs of the file left out because none of their {@code profiles:} is enabled;
 *     they are not orphans (nothing destroys them as such), they are just not part of this run
 */
public record ComposeProject(String name, Path projectDir, List<Path> files,
        Map<String, NetworkSpec> networks, Map<String, VolumeSpec> volumes, Map<String, VmSpec> vms,
        Extensions extensions, List<String> warnings, Set<String> inactiveVms) {

    public ComposeProject {
        files = List.copyOf(files);
        networks = ordered(networks);
        volumes = ordered(volumes);
        vms = ordered(vms);
        warnings = List.copyOf(warnings);
        inactiveVms = Collections.unmodifiableSet(new LinkedHashSet<>(inactiveVms));
    }

    public ComposeProject(String name, Path projectDir, List<Path> files, Map<String, NetworkSpec> networks,
            Map<String, VolumeSpec> volumes, Map<String, VmSpec> vms, Extensions extensions, List<String> warnings) {
        this(name, projectDir, files, networks, volumes, vms, extensions, warnings, Set.of());
    }

    public ComposeProject(String name, Path projectDir, List<Path> files, Map<String, NetworkSpec> networks,
            Map<String, VolumeSpec> volumes, Map<String, VmSpec> vms) {
        this(name, projectDir, files, networks, volumes, vms, Extensions.NONE, List.of());
    }

    /** The same project with only {@code selected} of its VMs. */
    public ComposeProject withVms(Map<String, VmSpec> selected) {
        return new ComposeProject(name, projectDir, files, networks, volumes, selected, extensions, warnings,
                inactiveVms);
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
