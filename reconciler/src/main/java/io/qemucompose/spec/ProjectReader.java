package io.qemucompose.spec;

import io.qemucompose.spec.SourceNode.Entry;
import io.qemucompose.spec.SourceNode.MapNode;
import io.qemucompose.spec.SourceNode.Pos;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Walks the merged document: top level, networks, volumes, then each VM, then cross-checks. */
final class ProjectReader {
    static final List<String> TOP_LEVEL = List.of("name", "version", "networks", "volumes", "vms");
    static final List<String> NETWORK_KEYS = List.of("driver", "subnet");
    static final List<String> VOLUME_KEYS = List.of("size");
    static final ByteSize MIN_VOLUME = ByteSize.ofMebibytes(1);
    /** Our name for docker's COMPOSE_PROJECT_NAME: names the project when there is no -p. */
    public static final String PROJECT_NAME_VARIABLE = "QEMU_COMPOSE_PROJECT_NAME";
    static final String COMPOSE_PROJECT_NAME = "COMPOSE_PROJECT_NAME";
    private final Fields fields;
    private final ComposeSource source;
    private final Map<String, String> environment;
    private final PathBase paths;
    private final HostUser hostUser;

    ProjectReader(Fields fields, ComposeSource source, Map<String, String> environment, Set<Path> extendedFiles,
            HostUser hostUser) {
        this.fields = fields;
        this.hostUser = hostUser;
        this.paths = new PathBase(source.projectDir(), extendedFiles);
        this.source = source;
        this.environment = environment;
    }

    ComposeProject read(SourceNode document, Optional<String> projectNameFlag, ProfileRequest profileRequest,
            Map<String, Integer> scale) {
        MapNode root = fields.map(document, "", "a mapping with 'vms:' at the top");
        if (root == null) {
            return null;
        }
        for (Entry entry : Fields.entries(root)) {
            if (entry.key().text().equals("services")) {
                fields.problem(entry.key().pos(), "services", "unknown key 'services' (qemu-compose calls them 'vms')");
            }
        }
        MapNode withoutServices = new MapNode(root.pos(), withoutKey(root, "services"));
        fields.onlyKeys(withoutServices, "", TOP_LEVEL);
        String name = projectName(root, projectNameFlag);
        if (name != null) {
            // as docker compose: the rest of the file may refer to the project's name
            environment.put(COMPOSE_PROJECT_NAME, name);
            environment.put(PROJECT_NAME_VARIABLE, name);
        }
        Map<String, NetworkSpec> networks = networks(root);
        Map<String, VolumeSpec> volumes = volumes(root);
        Map<String, VmSpec> vms = new LinkedHashMap<>();
        PortClaims ports = new PortClaims();
        Map<String, Map<String, Pos>> dependencyPositions = new HashMap<>();
        Map<String, Pos> vmPositions = new LinkedHashMap<>();
        SourceNode vmsNode = Fields.get(root, "vms").orElse(null);
        if (vmsNode == null) {
            fields.problem(root.pos(), "vms", "missing, expected a mapping of VM names to VMs");
        } else {
            MapNode vmsMap = fields.map(vmsNode, "vms", "a mapping of VM names to VMs");
            if (vmsMap != null) {
                List<Entry> entries = Fields.entries(vmsMap);
                if (entries.isEmpty()) {
                    fields.problem(vmsMap.pos(), "vms", "found no VM, expected at least one");
                }
                Set<String> vmNames = new LinkedHashSet<>();
                entries.forEach(e -> vmNames.add(e.key().text()));
                VmReader reader = new VmReader(fields, paths, environment,
                        networks.keySet(), volumes.keySet(), vmNames, ports, scale, hostUser);
                checkScale(scale, vmNames);
                for (Entry entry : entries) {
                    String vmName = entry.key().text();
                    String path = "vms." + vmName;
                    vmPositions.put(vmName, entry.key().pos());
                    Names.vmNameProblem(vmName).ifPresent(p -> fields.problem(entry.key().pos(), path, p));
                    Map<String, Pos> depPositions = new LinkedHashMap<>();
                    dependencyPositions.put(vmName, depPositions);
                    VmSpec vm = reader.read(vmName, entry.value(), path, depPositions);
                    if (vm != null) {
                        vms.put(vmName, vm);
                    }
                }
            }
        }
        new DependencyCycles(fields).check(dependencyPositions);
        ports.check(fields);
        Set<String> inactive = new ActiveVms(fields).inactive(vms, profileRequest,
                environment.get(ProfileRequest.VARIABLE), dependencyPositions);
        inactive.forEach(vms::remove);
        Map<String, VmSpec> instances = instances(vms, vmPositions);
        if (name != null) {
            new NameCollisions(fields).check(name, root, networks, instances, vmPositions);
        }
        if (!fields.problems().isEmpty() || name == null) {
            return null;
        }
        vms.clear();
        vms.putAll(instances);
        Map<String, Map<String, Object>> vmExtensions = new LinkedHashMap<>();
        if (vmsNode instanceof MapNode vmsMap) {
            for (Entry entry : vmsMap.entries().values()) {
                if (entry.value() instanceof MapNode vm && !Extensions.fieldsOf(vm).isEmpty()) {
                    vmExtensions.put(entry.key().text(), Extensions.fieldsOf(vm));
                }
            }
        }
        return new ComposeProject(name, source.projectDir(), source.files(), networks, volumes, vms,
                new Extensions(Extensions.fieldsOf(root), vmExtensions), List.of(), inactive);
    }

    /** {@code --scale} may only name VMs of the file; its counts are checked by the CLI too. */
    private void checkScale(Map<String, Integer> scale, Set<String> vmNames) {
        scale.forEach((vm, n) -> {
            if (!vmNames.contains(vm)) {
                fields.problems().add(new Problem(source.files().getFirst(), 0, 0, "--scale", "no VM named '" + vm
                        + "' in the file" + Suggestions.didYouMean(vm, vmNames) + " (VMs: " + String.join(", ", vmNames)
                        + ")"));
            } else if (n < 1 || n > VmReader.MAX_REPLICAS) {
                fields.problems().add(new Problem(source.files().getFirst(), 0, 0, "--scale", "found " + vm + "=" + n
                        + ", expected between 1 and " + VmReader.MAX_REPLICAS + " instances"));
            }
        });
    }

    /**
     * Each VM as its instances ({@link Replica}): a dependency on a scaled VM is one on each of its
     * instances. An instance name must itself be a valid VM name and must not be taken by another
     * VM of the file.
     */
    private Map<String, VmSpec> instances(Map<String, VmSpec> vms, Map<String, Pos> positions) {
        Map<String, List<String>> names = new LinkedHashMap<>();
        vms.values().forEach(vm -> {
            List<String> list = new java.util.ArrayList<>();
            for (int i = 1; i <= vm.replica().count(); i++) {
                list.add(Replica.instanceName(vm.name(), i));
            }
            names.put(vm.name(), list);
        });
        Map<String, VmSpec> out = new LinkedHashMap<>();
        for (VmSpec vm : vms.values()) {
            Map<String, Dependency> dependencies = new LinkedHashMap<>();
            vm.dependsOn().values().forEach(d -> names.getOrDefault(d.vm(), List.of(d.vm()))
                    .forEach(n -> dependencies.put(n, new Dependency(n, d.condition()))));
            for (int i = 1; i <= vm.replica().count(); i++) {
                VmSpec instance = vm.instance(new Replica(vm.name(), i, vm.replica().count()), dependencies);
                String path = "vms." + vm.name() + ".deploy.replicas";
                if (i > 1) {
                    Pos pos = positions.get(vm.name());
                    positions.putIfAbsent(instance.name(), pos);
                    Names.vmNameProblem(instance.name()).ifPresent(p -> fields.problem(pos, path, "instance "
                            + instance.name() + ": " + p));
                    if (vms.containsKey(instance.name())) {
                        fields.problem(pos, path, "instance " + i + " of '" + vm.name() + "' would be named '"
                                + instance.name() + "', which is another VM of the file; rename one of them");
                    }
                }
                out.putIfAbsent(instance.name(), instance);
            }
        }
        return out;
    }

    private static Map<String, Entry> withoutKey(MapNode map, String key) {
        Map<String, Entry> copy = new LinkedHashMap<>(map.entries());
        copy.remove(key);
        return copy;
    }

    private String projectName(MapNode root, Optional<String> flag) {
        String declaredName = null;
        Optional<SourceNode> declared = Fields.get(root, "name");
        if (declared.isPresent()) {
            String name = fields.text(declared.get(), "name", "a project name");
            Optional<String> problem = name == null ? Optional.empty() : Names.projectNameProblem(name);
            problem.ifPresent(p -> fields.problem(declared.get().pos(), "name", p));
            declaredName = problem.isPresent() ? null : name;
            if (declaredName == null && flag.isEmpty()) {
                return null;
            }
        }
        if (flag.isPresent()) {
            Optional<String> problem = Names.projectNameProblem(flag.get());
            if (problem.isPresent()) {
                fields.problems().add(new Problem(source.files().getFirst(), 0, 0, "--project-name", problem.get()));
                return null;
            }
            return flag.get();
        }
        String fromEnvironment = environment.get(PROJECT_NAME_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            Optional<String> problem = Names.projectNameProblem(fromEnvironment);
            if (problem.isPresent()) {
                fields.problems().add(new Problem(source.files().getFirst(), 0, 0, PROJECT_NAME_VARIABLE,
                        problem.get()));
                return null;
            }
            return fromEnvironment;
        }
        if (declaredName != null) {
            return declaredName;
        }
        Path folder = source.projectDir().getFileName();
        Optional<String> normalized = Names.normalizeProjectName(folder == null ? "" : folder.toString());
        if (normalized.isEmpty()) {
            fields.problems().add(new Problem(source.files().getFirst(), 0, 0, "",
                    "the folder name '" + folder + "' gives no valid project name; pass -p NAME or set 'name:'"));
            return null;
        }
        return normalized.get();
    }

    private Map<String, NetworkSpec> networks(MapNode root) {
        Map<String, NetworkSpec> networks = new LinkedHashMap<>();
        Optional<SourceNode> node = Fields.get(root, "networks");
        if (node.isEmpty() || Fields.isNull(node.get())) {
            return networks;
        }
        MapNode map = fields.map(node.get(), "networks", "a mapping of network names to networks");
        if (map == null) {
            return networks;
        }
        for (Entry entry : Fields.entries(map)) {
            String name = entry.key().text();
            String path = "networks." + name;
            Names.resourceNameProblem("network", name).ifPresent(p -> fields.problem(entry.key().pos(), path, p));
            String driver = NetworkSpec.BRIDGE;
            SubnetSpec subnet = new SubnetSpec.Auto();
            if (!Fields.isNull(entry.value())) {
                MapNode spec = fields.map(entry.value(), path, "a mapping with 'driver' and 'subnet'");
                if (spec == null) {
                    continue;
                }
                fields.onlyKeys(spec, path, NETWORK_KEYS);
                Optional<SourceNode> driverNode = Fields.get(spec, "driver");
                if (driverNode.isPresent()) {
                    driver = fields.oneOf(driverNode.get(), path + ".driver", List.of(NetworkSpec.BRIDGE));
                }
                Optional<SourceNode> subnetNode = Fields.get(spec, "subnet");
                if (subnetNode.isPresent()) {
                    subnet = subnet(subnetNode.get(), path + ".subnet");
                }
            }
            if (driver != null && subnet != null) {
                networks.put(name, new NetworkSpec(name, driver, subnet));
            }
        }
        new SubnetOverlaps(fields).check(map, networks);
        return networks;
    }

    private SubnetSpec subnet(SourceNode node, String path) {
        String text = fields.text(node, path, "'auto' or an IPv4 CIDR such as 192.168.100.0/24");
        if (text == null) {
            return null;
        }
        if (text.equals("auto")) {
            return new SubnetSpec.Auto();
        }
        try {
            return SubnetSpec.Fixed.parse(text.strip());
        } catch (IllegalArgumentException e) {
            fields.problem(node.pos(), path, e.getMessage());
            return null;
        }
    }

    private Map<String, VolumeSpec> volumes(MapNode root) {
        Map<String, VolumeSpec> volumes = new LinkedHashMap<>();
        Optional<SourceNode> node = Fields.get(root, "volumes");
        if (node.isEmpty() || Fields.isNull(node.get())) {
            return volumes;
        }
        MapNode map = fields.map(node.get(), "volumes", "a mapping of volume names to volumes");
        if (map == null) {
            return volumes;
        }
        for (Entry entry : Fields.entries(map)) {
            String name = entry.key().text();
            String path = "volumes." + name;
            Names.resourceNameProblem("volume", name).ifPresent(p -> fields.problem(entry.key().pos(), path, p));
            ByteSize size = VolumeSpec.DEFAULT_SIZE;
            if (!Fields.isNull(entry.value())) {
                MapNode spec = fields.map(entry.value(), path, "a mapping with 'size'");
                if (spec == null) {
                    continue;
                }
                fields.onlyKeys(spec, path, VOLUME_KEYS);
                Optional<SourceNode> sizeNode = Fields.get(spec, "size");
                if (sizeNode.isPresent()) {
                    size = fields.size(sizeNode.get(), path + ".size", MIN_VOLUME);
                }
            }
            if (size != null) {
                volumes.put(name, new VolumeSpec(name, size));
            }
        }
        return volumes;
    }
}
