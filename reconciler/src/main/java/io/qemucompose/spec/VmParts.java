package io.qemucompose.spec;

import io.qemucompose.spec.SourceNode.Entry;
import io.qemucompose.spec.SourceNode.Kind;
import io.qemucompose.spec.SourceNode.MapNode;
import io.qemucompose.spec.SourceNode.Pos;
import io.qemucompose.spec.SourceNode.Scalar;
import io.qemucompose.spec.SourceNode.SeqNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/** The list-shaped parts of a VM: volumes, ports, environment, provision, depends_on, healthcheck. */
final class VmParts {
    static final List<String> MOUNT_KEYS = List.of("source", "target", "read_only", "automount", "mount_options");
    static final List<String> PORT_KEYS = List.of("target", "published", "host_ip", "protocol");
    static final List<String> PROVISION_KEYS = List.of("type", "inline", "script", "source", "destination");
    static final List<String> DEPENDENCY_KEYS = List.of("condition");
    static final List<String> CONDITIONS =
            List.of("service_started", "service_healthy", "service_completed_successfully");
    static final List<String> HEALTHCHECK_KEYS = List.of("test", "interval", "timeout", "retries", "start_period",
            "disable");
    private static final Pattern MOUNT_OPTIONS = Pattern.compile("[A-Za-z0-9=,._-]*");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern SHORT_PORT =
            Pattern.compile("(?:(?<ip>[0-9.]+):)?(?<host>\\d+):(?<guest>\\d+)(?:/(?<proto>[a-z]+))?");
    private final Fields fields;
    private final PathBase paths;
    private final Map<String, String> environment;
    private final Set<String> volumes;
    private final Set<String> vmNames;
    private final PortClaims claims;

    VmParts(Fields fields, PathBase paths, Map<String, String> environment, Set<String> volumes,
            Set<String> vmNames, PortClaims claims) {
        this.claims = claims;
        this.fields = fields;
        this.paths = paths;
        this.environment = environment;
        this.volumes = volumes;
        this.vmNames = vmNames;
    }

    /** Reads each item of an optional list field with {@code item}, dropping failed items. */
    private <T> List<T> eachItem(MapNode vm, String path, String key, String what,
            BiFunction<SourceNode, String, T> item) {
        List<T> out = new ArrayList<>();
        Optional<SourceNode> node = Fields.get(vm, key);
        if (node.isEmpty() || Fields.isNull(node.get())) {
            return out;
        }
        SeqNode list = fields.list(node.get(), path + "." + key, what);
        if (list == null) {
            return out;
        }
        for (int i = 0; i < list.items().size(); i++) {
            T value = item.apply(list.items().get(i), Fields.index(path + "." + key, i));
            if (value != null) {
                out.add(value);
            }
        }
        return out;
    }

    List<Mount> mounts(MapNode vm, String path) {
        Map<String, String> targets = new HashMap<>();
        return eachItem(vm, path, "volumes", "a list of mounts", (node, itemPath) -> {
            Mount mount = mount(node, itemPath);
            if (mount != null) {
                String earlier = targets.putIfAbsent(mount.target(), itemPath);
                if (earlier != null) {
                    fields.problem(node.pos(), itemPath, "target " + mount.target() + " is already mounted by " + earlier);
                    return null;
                }
            }
            return mount;
        });
    }

    private Mount mount(SourceNode node, String path) {
        if (node instanceof MapNode map) {
            fields.onlyKeys(map, path, MOUNT_KEYS);
            fields.required(map, path, "source", "a named volume or a host path");
            fields.required(map, path, "target", "an absolute path in the VM");
            String source = Fields.get(map, "source").map(n -> fields.text(n, path + ".source",
                    "a named volume or a host path")).orElse(null);
            String target = Fields.get(map, "target").map(n -> target(n, path + ".target")).orElse(null);
            Boolean readOnly = Fields.get(map, "read_only").map(n -> fields.bool(n, path + ".read_only")).orElse(false);
            Optional<SourceNode> automountNode = Fields.get(map, "automount");
            Optional<SourceNode> optionsNode = Fields.get(map, "mount_options");
            Boolean automount = automountNode.map(n -> fields.bool(n, path + ".automount")).orElse(true);
            Optional<String> options = optionsNode.map(n -> mountOptions(n, path + ".mount_options"));
            if (source == null || target == null || readOnly == null || automount == null) {
                return null;
            }
            Pos sourcePos = Fields.get(map, "source").orElseThrow().pos();
            if (!isHostPath(source)) {
                automountNode.ifPresent(n -> fields.problem(n.pos(), path + ".automount",
                        "applies to bind mounts only; named volumes are always mounted"));
                optionsNode.ifPresent(n -> fields.problem(n.pos(), path + ".mount_options",
                        "applies to bind mounts only (9p options)"));
                return namedVolume(source, sourcePos, path + ".source") ? new Mount.NamedVolumeMount(source, target,
                        readOnly) : null;
            }
            Path host = hostPath(source, sourcePos, path + ".source");
            if (host == null || !allowedBind(host, target, node.pos(), path,
                    Fields.get(map, "target").orElseThrow().pos(), path + ".target")) {
                return null;
            }
            return new Mount.BindMount(host, target, readOnly, automount, options);
        }
        String text = fields.text(node, path, "'source:target[:ro]' or a mapping with source and target");
        if (text == null) {
            return null;
        }
        String[] parts = text.split(":", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty()) {
            fields.problem(node.pos(), path, "found '" + text + "', expected 'source:target' or 'source:target:ro'");
            return null;
        }
        boolean readOnly = false;
        if (parts.length == 3) {
            if (!parts[2].equals("ro") && !parts[2].equals("rw")) {
                fields.problem(node.pos(), path, "found mode '" + parts[2] + "' in '" + text + "', expected ro or rw");
                return null;
            }
            readOnly = parts[2].equals("ro");
        }
        String target = targetText(parts[1], node.pos(), path);
        if (target == null) {
            return null;
        }
        if (!isHostPath(parts[0])) {
            return namedVolume(parts[0], node.pos(), path) ? new Mount.NamedVolumeMount(parts[0], target, readOnly) : null;
        }
        Path host = hostPath(parts[0], node.pos(), path);
        if (host == null || !allowedBind(host, target, node.pos(), path, node.pos(), path)) {
            return null;
        }
        return new Mount.BindMount(host, target, readOnly, true, Optional.empty());
    }

    /** Records a problem for a dangerous source or target ({@link BindMountPolicy}) unless the user opted in. */
    private boolean allowedBind(Path host, String target, Pos sourcePos, String sourcePath, Pos targetPos,
            String targetPath) {
        if ("true".equals(environment.get(BindMountPolicy.ALLOW_VARIABLE))) {
            return true;
        }
        Optional<String> source = BindMountPolicy.of(environment.get("HOME")).sourceProblem(host);
        source.ifPresent(m -> fields.problem(sourcePos, sourcePath, m + BindMountPolicy.optIn()));
        Optional<String> onto = BindMountPolicy.targetProblem(target);
        onto.ifPresent(m -> fields.problem(targetPos, targetPath, m + BindMountPolicy.optIn()));
        return source.isEmpty() && onto.isEmpty();
    }

    private static boolean isHostPath(String source) {
        return source.startsWith("/") || source.startsWith(".") || source.startsWith("~");
    }

    private boolean namedVolume(String name, Pos pos, String path) {
        if (volumes.contains(name)) {
            return true;
        }
        fields.problem(pos, path, "unknown volume '" + name + "'" + Suggestions.didYouMean(name, volumes)
                + "; declare it under the top-level 'volumes:', or write './" + name + "' for a host folder");
        return false;
    }

    private Path hostPath(String source, Pos pos, String path) {
        if (source.equals("~") || source.startsWith("~/")) {
            String home = environment.get("HOME");
            if (home == null || home.isEmpty()) {
                fields.problem(pos, path, "found '" + source + "' but HOME is not set");
                return null;
            }
            return Path.of(home).resolve(source.substring(1).replaceFirst("^/", "")).normalize();
        }
        if (source.startsWith("~")) {
            fields.problem(pos, path, "found '" + source + "', only '~/' (your own home) is supported");
            return null;
        }
        return paths.dirOf(pos).resolve(source).normalize();
    }

    private String target(SourceNode node, String path) {
        String text = fields.text(node, path, "an absolute path in the VM");
        return text == null ? null : targetText(text, node.pos(), path);
    }

    private String targetText(String text, Pos pos, String path) {
        if (!text.startsWith("/")) {
            fields.problem(pos, path, "found '" + text + "', expected an absolute path in the VM (starting with '/')");
            return null;
        }
        if (text.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            fields.problem(pos, path, "found '" + text + "', expected a path without spaces or control characters");
            return null;
        }
        return text.length() > 1 && text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    private String mountOptions(SourceNode node, String path) {
        String text = fields.text(node, path, "9p mount options such as 'cache=loose,msize=104857600'");
        if (text != null && !MOUNT_OPTIONS.matcher(text).matches()) {
            fields.problem(node.pos(), path, "found '" + text
                    + "', expected comma-separated 9p options of letters, digits, '=', '.', '_' and '-'");
            return null;
        }
        return text;
    }

    List<PortMapping> ports(MapNode vm, String path) {
        Map<String, String> published = new HashMap<>();
        return eachItem(vm, path, "ports", "a list of port mappings", (node, itemPath) -> {
            PortMapping port = port(node, itemPath);
            if (port != null) {
                String key = port.hostIp() + ":" + port.hostPort() + "/" + port.protocol();
                String earlier = published.putIfAbsent(key, itemPath);
                if (earlier != null) {
                    fields.problem(node.pos(), itemPath, "host port " + key + " is already published by " + earlier);
                    return null;
                }
                claims.published(port, itemPath, node.pos());
            }
            return port;
        });
    }

    private PortMapping port(SourceNode node, String path) {
        if (node instanceof MapNode map) {
            fields.onlyKeys(map, path, PORT_KEYS);
            fields.required(map, path, "target", "the guest port");
            fields.required(map, path, "published", "the host port");
            Integer guest = Fields.get(map, "target").map(n -> fields.integer(n, path + ".target", 1, 65535, "a port"))
                    .orElse(null);
            Integer host = Fields.get(map, "published")
                    .map(n -> fields.integer(n, path + ".published", 1, 65535, "a port")).orElse(null);
            String ip = Fields.get(map, "host_ip").map(n -> hostIp(n, path + ".host_ip"))
                    .orElse(PortMapping.DEFAULT_HOST_IP);
            String protocol = Fields.get(map, "protocol").map(n -> fields.oneOf(n, path + ".protocol",
                    List.of("tcp", "udp"))).orElse("tcp");
            if (guest == null || host == null || ip == null || protocol == null) {
                return null;
            }
            return new PortMapping(ip, host, guest, PortMapping.Protocol.valueOf(protocol.toUpperCase()));
        }
        String text = fields.text(node, path, "'HOST:GUEST' such as '8080:80'");
        if (text == null) {
            return null;
        }
        var m = SHORT_PORT.matcher(text.strip());
        String problem = null;
        if (!m.matches()) {
            problem = "found '" + text + "', expected '[HOST_IP:]HOST:GUEST[/tcp|udp]' such as '8080:80'";
        } else if (m.group("ip") != null && !IPV4.matcher(m.group("ip")).matches()) {
            problem = "found host IP '" + m.group("ip") + "', expected an IPv4 address such as 127.0.0.1";
        } else if (m.group("proto") != null && !List.of("tcp", "udp").contains(m.group("proto"))) {
            problem = "found protocol '" + m.group("proto") + "', expected tcp or udp";
        } else if (!validPort(m.group("host")) || !validPort(m.group("guest"))) {
            problem = "found '" + text + "', expected ports between 1 and 65535";
        }
        if (problem != null) {
            fields.problem(node.pos(), path, problem);
            return null;
        }
        return new PortMapping(m.group("ip") == null ? PortMapping.DEFAULT_HOST_IP : m.group("ip"),
                Integer.parseInt(m.group("host")), Integer.parseInt(m.group("guest")),
                "udp".equals(m.group("proto")) ? PortMapping.Protocol.UDP : PortMapping.Protocol.TCP);
    }

    private static boolean validPort(String digits) {
        return digits.length() <= 5 && Integer.parseInt(digits) >= 1 && Integer.parseInt(digits) <= 65535;
    }

    private String hostIp(SourceNode node, String path) {
        String text = fields.text(node, path, "an IPv4 address");
        if (text != null && !IPV4.matcher(text).matches()) {
            fields.problem(node.pos(), path, "found '" + text + "', expected an IPv4 address such as 127.0.0.1");
            return null;
        }
        return text;
    }

    /** Map form, or docker's list form {@code KEY=value}; a bare KEY takes the host's value if set. */
    Map<String, String> environment(MapNode vm, String path) {
        // as compose: env_file first, environment: wins
        Map<String, String> out = new EnvFiles(fields, environment).read(vm, path);
        Optional<SourceNode> node = Fields.get(vm, "environment");
        if (node.isEmpty() || Fields.isNull(node.get())) {
            return out;
        }
        String envPath = path + ".environment";
        if (node.get() instanceof MapNode map) {
            for (Entry entry : map.entries().values()) {
                String key = entry.key().text();
                if (envName(key, entry.key().pos(), envPath + "." + key)) {
                    putEnv(out, key, entry.value() instanceof Scalar s && s.kind() == Kind.NULL ? null
                            : fields.text(entry.value(), envPath + "." + key, "a string, number or boolean"),
                            Fields.isNull(entry.value()));
                }
            }
            return out;
        }
        SeqNode list = fields.list(node.get(), envPath, "a mapping of variables or a list of KEY=value");
        if (list == null) {
            return out;
        }
        for (int i = 0; i < list.items().size(); i++) {
            SourceNode item = list.items().get(i);
            String itemPath = Fields.index(envPath, i);
            String text = fields.text(item, itemPath, "KEY=value");
            if (text == null) {
                continue;
            }
            int eq = text.indexOf('=');
            String key = eq < 0 ? text : text.substring(0, eq);
            if (envName(key, item.pos(), itemPath)) {
                putEnv(out, key, eq < 0 ? null : text.substring(eq + 1), eq < 0);
            }
        }
        return out;
    }

    private void putEnv(Map<String, String> out, String key, String value, boolean fromHost) {
        if (fromHost) {
            Optional.ofNullable(environment.get(key)).ifPresent(v -> out.put(key, v));
        } else if (value != null) {
            out.put(key, value);
        }
    }

    static boolean isEnvName(String key) {
        return ENV_NAME.matcher(key).matches();
    }

    private boolean envName(String key, Pos pos, String path) {
        if (ENV_NAME.matcher(key).matches()) {
            return true;
        }
        fields.problem(pos, path, "found '" + key + "', expected a variable name of letters, digits and '_'");
        return false;
    }

    List<Provision> provision(MapNode vm, String path) {
        return new ProvisionReader(fields, paths).read(vm, path);
    }

    Map<String, Dependency> dependsOn(String self, MapNode vm, String path, Map<String, Pos> positions) {
        return new DependsOnReader(fields, vmNames).read(self, vm, path, positions);
    }

    Optional<Healthcheck> healthcheck(MapNode vm, String path) {
        return new HealthcheckReader(fields).read(vm, path);
    }
}
