package io.qemucompose.spec;

import io.qemucompose.spec.SourceNode.MapNode;
import io.qemucompose.spec.SourceNode.Pos;
import io.qemucompose.spec.SourceNode.Scalar;
import io.qemucompose.spec.SourceNode.SeqNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads one VM: scalar fields here, lists and nested blocks in {@link VmParts}. */
final class VmReader {
    static final List<String> KEYS = List.of("image", "image_checksum", "cpu", "memory", "disk", "networks",
            "volumes", "ssh", "user", "uid", "password", "ports", "environment", "provision", "depends_on",
            "healthcheck", "restart", "profiles", "env_file", "platform", "os", "vnc", "deploy");
    static final List<String> DEPLOY_KEYS = List.of("replicas");
    /** Enough for a test farm on one host; every instance is a whole VM with its own disk and SSH port. */
    static final int MAX_REPLICAS = 100;
    static final List<String> DISK_KEYS = List.of("size");
    static final List<String> SSH_KEYS = List.of("port");
    static final List<String> RESTART = List.of("no", "on-failure", "always", "unless-stopped");
    static final ByteSize MIN_DISK = ByteSize.ofMebibytes(1);
    private static final Pattern SHA256 = Pattern.compile("sha256:([0-9a-fA-F]{64})");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    private static final Pattern MEMORY_MB = Pattern.compile("\\d+");
    /** {@code freebsd:14.1}: a release of cross-platform-actions/<os>-builder. */
    private static final Pattern RELEASE = Pattern.compile("([a-z]+):([0-9A-Za-z][0-9A-Za-z._-]*)");
    /** compose-spec's pattern for a profile name. */
    private static final Pattern PROFILE = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    private final Fields fields;
    private final PathBase paths;
    private final Set<String> networks;
    private final VmParts parts;
    private final PortClaims ports;
    private final GuestArch hostArch;
    private final Map<String, Integer> scale;
    private final HostUser hostUser;

    VmReader(Fields fields, PathBase paths, Map<String, String> environment, Set<String> networks,
            Set<String> volumes, Set<String> vmNames, PortClaims ports, Map<String, Integer> scale, HostUser hostUser) {
        this(fields, paths, environment, networks, volumes, vmNames, ports, scale, GuestArch.host(), hostUser);
    }

    VmReader(Fields fields, PathBase paths, Map<String, String> environment, Set<String> networks,
            Set<String> volumes, Set<String> vmNames, PortClaims ports, Map<String, Integer> scale, GuestArch hostArch,
            HostUser hostUser) {
        this.hostArch = hostArch;
        this.hostUser = hostUser;
        this.fields = fields;
        this.scale = scale;
        this.paths = paths;
        this.networks = networks;
        this.ports = ports;
        this.parts = new VmParts(fields, paths, environment, volumes, vmNames, ports);
    }

    VmSpec read(String name, SourceNode node, String path, Map<String, Pos> dependencyPositions) {
        int before = fields.problems().size();
        MapNode vm = fields.map(node, path, "a mapping with at least 'image'");
        if (vm == null) {
            return null;
        }
        fields.onlyKeys(vm, path, KEYS);
        fields.required(vm, path, "image", "the URL or path of a cloud image");
        ImageRef image = image(vm, path);
        Integer cpu = Fields.get(vm, "cpu").map(n -> fields.integer(n, path + ".cpu", 1, 256, "a number of CPUs"))
                .orElse(VmSpec.DEFAULT_CPU);
        Long memory = Fields.get(vm, "memory").map(n -> memory(n, path + ".memory")).orElse(VmSpec.DEFAULT_MEMORY_MB);
        Optional<ByteSize> disk = disk(vm, path);
        List<String> vmNetworks = networks(vm, path);
        Optional<Integer> sshPort = sshPort(vm, path);
        Optional<String> user = Fields.get(vm, "user").map(n -> user(n, path + ".user"));
        Optional<GuestUid> fileUid = Fields.get(vm, "uid").map(n -> uid(n, path + ".uid"));
        Optional<String> password = Fields.get(vm, "password")
                .map(n -> fields.text(n, path + ".password", "a password"));
        String restart = Fields.get(vm, "restart").map(n -> fields.oneOf(n, path + ".restart", RESTART)).orElse("no");
        List<Mount> mounts = parts.mounts(vm, path);
        List<PortMapping> ports = parts.ports(vm, path);
        Map<String, String> environment = parts.environment(vm, path);
        List<Provision> provision = parts.provision(vm, path);
        Map<String, Dependency> dependsOn = parts.dependsOn(name, vm, path, dependencyPositions);
        Optional<Healthcheck> healthcheck = parts.healthcheck(vm, path);
        List<String> profiles = profiles(vm, path);
        Optional<VncSpec> vnc = Fields.get(vm, "vnc").flatMap(n -> vnc(n, path + ".vnc"));
        GuestOs os = guestOs(vm, path, image);
        GuestArch arch = Fields.get(vm, "platform").map(n -> platform(n, path + ".platform")).orElse(hostArch);
        if (os != null && arch != null) {
            GuestPlatformRules.check(fields, vm, path, os, arch, vmNetworks, mounts, provision, user);
            if (os != GuestOs.LINUX && user.isEmpty()) {
                user = Optional.of(VmSpec.RUNNER_USER);
            }
        }
        // the host user's ids only where cloud-init creates the login user
        Optional<GuestUid> uid = fileUid.isPresent() || os == null || !os.cloudInit() ? fileUid
                : GuestUid.ofHost(hostUser);
        int replicas = replicas(name, vm, path);
        if (replicas > 1) {
            refuseFixedPorts(name, vm, path, replicas);
        }
        if (fields.problems().size() > before || image == null || cpu == null || memory == null || restart == null
                || os == null || arch == null) {
            return null;
        }
        return new VmSpec(name, image, cpu, memory, disk, vmNetworks, mounts, sshPort, user, uid, password, ports,
                environment, provision, dependsOn, healthcheck,
                RestartPolicy.valueOf(restart.toUpperCase(Locale.ROOT).replace('-', '_')), profiles, os, arch, vnc,
                new Replica(name, 1, replicas));
    }

    private ImageRef image(MapNode vm, String path) {
        Optional<SourceNode> node = Fields.get(vm, "image");
        if (node.isEmpty()) {
            return null;
        }
        String text = fields.text(node.get(), path + ".image", "the URL or path of a cloud image");
        if (text == null) {
            return null;
        }
        Optional<ImageRef.ImageChecksum> checksum = Fields.get(vm, "image_checksum")
                .map(n -> checksum(n, path + ".image_checksum"));
        var release = RELEASE.matcher(text.strip());
        if (release.matches() && !text.contains("/")) {
            Optional<GuestOs> os = GuestOs.parse(release.group(1)).filter(o -> o != GuestOs.LINUX);
            if (os.isEmpty()) {
                fields.problem(node.get().pos(), path + ".image", "found '" + text + "': a short image name is <os>:<version> "
                        + "with os one of " + String.join(", ", GuestOs.ids().subList(1, GuestOs.ids().size()))
                        + Suggestions.didYouMean(release.group(1), GuestOs.ids())
                        + "; anything else is an http(s) URL or a file path (write ./" + text + " for a file)");
                return null;
            }
            var r = new ImageRef.Release(os.get(), release.group(2));
            return new ImageRef(r.shortName(), checksum, Optional.of(r));
        }
        URI location = location(text.strip(), node.get().pos(), path + ".image", "an http(s) URL or a file path");
        return location == null ? null : new ImageRef(location, checksum);
    }

    /** http(s) URLs as written; anything without a scheme is a file, relative to the project folder. */
    private URI location(String text, Pos pos, String path, String what) {
        if (text.isEmpty()) {
            fields.problem(pos, path, "found an empty value, expected " + what);
            return null;
        }
        int colon = text.indexOf("://");
        if (colon < 0) {
            return paths.dirOf(pos).resolve(text).normalize().toUri();
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
            if (scheme.equals("file") && uri.getPath() != null && uri.getPath().startsWith("/")) {
                return uri;
            }
            fields.problem(pos, path, "found '" + text + "', expected " + what);
        } catch (URISyntaxException e) {
            fields.problem(pos, path, "found '" + text + "', which is no valid URL: " + e.getReason());
        }
        return null;
    }

    private ImageRef.ImageChecksum checksum(SourceNode node, String path) {
        String text = fields.text(node, path, "sha256:<64 hex digits> or the URL of a SHA256SUMS file");
        if (text == null) {
            return null;
        }
        var m = SHA256.matcher(text.strip());
        if (m.matches()) {
            return new ImageRef.ImageChecksum.Sha256(m.group(1).toLowerCase(Locale.ROOT));
        }
        if (text.contains("://")) {
            URI uri = location(text.strip(), node.pos(), path, "sha256:<64 hex digits> or an http(s) URL of a SHA256SUMS file");
            return uri == null ? null : new ImageRef.ImageChecksum.SumsFile(uri);
        }
        fields.problem(node.pos(), path, "found '" + text
                + "', expected sha256:<64 hex digits> or the URL of a SHA256SUMS file");
        return null;
    }

    /** A plain number is MB (as the seed README writes it); with a unit it is a size. */
    private Long memory(SourceNode node, String path) {
        String text = fields.text(node, path, "memory in MB (2048) or with a unit (2G)");
        if (text == null) {
            return null;
        }
        long mb;
        if (MEMORY_MB.matcher(text.strip()).matches()) {
            try {
                mb = Long.parseLong(text.strip());
            } catch (NumberFormatException e) {
                mb = Long.MAX_VALUE;
            }
        } else {
            ByteSize size;
            try {
                size = ByteSize.parse(text);
            } catch (IllegalArgumentException e) {
                fields.problem(node.pos(), path, e.getMessage().replace("expected a size", "expected memory in MB (2048) or a size"));
                return null;
            }
            if (size.bytes() % (1L << 20) != 0) {
                fields.problem(node.pos(), path, "found '" + text + "', expected a whole number of MB");
                return null;
            }
            mb = size.mebibytes();
        }
        if (mb < 64 || mb > 4L * 1024 * 1024) {
            fields.problem(node.pos(), path, "found '" + text + "', expected between 64 MB and 4T");
            return null;
        }
        return mb;
    }

    /** {@code os:}, else the short image name's OS, else linux; the two must agree. */
    private GuestOs guestOs(MapNode vm, String path, ImageRef image) {
        Optional<GuestOs> fromImage = image == null ? Optional.empty() : image.release().map(ImageRef.Release::os);
        Optional<SourceNode> node = Fields.get(vm, "os");
        if (node.isEmpty() || Fields.isNull(node.get())) {
            return fromImage.orElse(GuestOs.LINUX);
        }
        String text = fields.oneOf(node.get(), path + ".os", GuestOs.ids());
        if (text == null) {
            return null;
        }
        GuestOs os = GuestOs.parse(text).orElseThrow();
        if (fromImage.isPresent() && fromImage.get() != os) {
            fields.problem(node.get().pos(), path + ".os", "found '" + text + "', but image '"
                    + image.location() + "' is " + fromImage.get().id() + "; drop os: or make them agree");
            return null;
        }
        return os;
    }

    private GuestArch platform(SourceNode node, String path) {
        String text = fields.text(node, path, "a platform such as " + String.join(", ", GuestArch.platforms()));
        if (text == null) {
            return null;
        }
        Optional<GuestArch> arch = GuestArch.parsePlatform(text);
        if (arch.isEmpty()) {
            fields.problem(node.pos(), path, "found '" + text + "', expected one of "
                    + String.join(", ", GuestArch.platforms()) + " (the guest OS is 'os:')");
            return null;
        }
        return arch.get();
    }

    private Optional<ByteSize> disk(MapNode vm, String path) {
        Optional<SourceNode> node = Fields.get(vm, "disk");
        if (node.isEmpty() || Fields.isNull(node.get())) {
            return Optional.empty();
        }
        MapNode disk = fields.map(node.get(), path + ".disk", "a mapping with 'size'");
        if (disk == null) {
            return Optional.empty();
        }
        fields.onlyKeys(disk, path + ".disk", DISK_KEYS);
        return Fields.get(disk, "size").map(n -> fields.size(n, path + ".disk.size", MIN_DISK));
    }

    private List<String> networks(MapNode vm, String path) {
        List<String> names = new ArrayList<>();
        Optional<SourceNode> node = Fields.get(vm, "networks");
        if (node.isEmpty() || Fields.isNull(node.get())) {
            return names;
        }
        SeqNode list = fields.list(node.get(), path + ".networks", "a list of network names");
        if (list == null) {
            return names;
        }
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < list.items().size(); i++) {
            SourceNode item = list.items().get(i);
            String itemPath = Fields.index(path + ".networks", i);
            String network = fields.text(item, itemPath, "a network name");
            if (network == null) {
                continue;
            }
            if (!networks.contains(network)) {
                fields.problem(item.pos(), itemPath, "unknown network '" + network + "'"
                        + Suggestions.didYouMean(network, networks)
                        + (networks.isEmpty() ? "; declare it under the top-level 'networks:'"
                                : "; declared networks: " + String.join(", ", networks)));
            } else if (seen.putIfAbsent(network, i) != null) {
                fields.problem(item.pos(), itemPath, "network '" + network + "' is already listed at index "
                        + seen.get(network));
            } else {
                names.add(network);
            }
        }
        return names;
    }

    private Optional<Integer> sshPort(MapNode vm, String path) {
        Optional<SourceNode> node = Fields.get(vm, "ssh");
        if (node.isEmpty() || Fields.isNull(node.get())) {
            return Optional.empty();
        }
        MapNode ssh = fields.map(node.get(), path + ".ssh", "a mapping with 'port'");
        if (ssh == null) {
            return Optional.empty();
        }
        fields.onlyKeys(ssh, path + ".ssh", SSH_KEYS);
        return Fields.get(ssh, "port").map(n -> {
            Integer port = fields.integer(n, path + ".ssh.port", 1, 65535, "a TCP port");
            if (port != null) {
                ports.ssh(port, path + ".ssh.port", n.pos());
            }
            return port;
        });
    }

    /** {@code up --scale VM=N} wins over {@code deploy.replicas}, as in docker compose; 1 without either. */
    private int replicas(String name, MapNode vm, String path) {
        int declared = 1;
        Optional<SourceNode> node = Fields.get(vm, "deploy");
        if (node.isPresent() && !Fields.isNull(node.get())) {
            MapNode deploy = fields.map(node.get(), path + ".deploy", "a mapping with 'replicas'");
            if (deploy != null) {
                fields.onlyKeys(deploy, path + ".deploy", DEPLOY_KEYS);
                Integer n = Fields.get(deploy, "replicas").map(r -> fields.integer(r, path + ".deploy.replicas", 1,
                        MAX_REPLICAS, "a number of instances (to run none, leave the VM out with profiles: or stop it)"))
                        .orElse(1);
                declared = n == null ? 1 : n;
            }
        }
        return scale.getOrDefault(name, declared);
    }

    /**
     * A fixed host port can be bound by one instance only: docker compose's second container
     * fails with "port is already allocated"; we refuse before anything starts.
     */
    private void refuseFixedPorts(String name, MapNode vm, String path, int replicas) {
        String why = replicas + " instances of '" + name + "' (deploy.replicas or --scale) cannot share ";
        Fields.get(vm, "ports").filter(SeqNode.class::isInstance).map(SeqNode.class::cast).ifPresent(list -> {
            for (int i = 0; i < list.items().size(); i++) {
                fields.problem(list.items().get(i).pos(), Fields.index(path + ".ports", i), why
                        + "a published host port; remove 'ports:' or run one instance");
            }
        });
        Fields.get(vm, "ssh").filter(MapNode.class::isInstance).map(MapNode.class::cast)
                .flatMap(ssh -> Fields.get(ssh, "port")).ifPresent(port -> fields.problem(port.pos(),
                        path + ".ssh.port", why + "a fixed SSH port; remove 'ssh.port' (each instance leases its own)"));
    }

    private List<String> profiles(MapNode vm, String path) {
        List<String> out = new ArrayList<>();
        Optional<SourceNode> node = Fields.get(vm, "profiles");
        if (node.isEmpty() || Fields.isNull(node.get())) {
            return out;
        }
        SeqNode list = fields.list(node.get(), path + ".profiles", "a list of profile names");
        if (list == null) {
            return out;
        }
        for (int i = 0; i < list.items().size(); i++) {
            SourceNode item = list.items().get(i);
            String itemPath = Fields.index(path + ".profiles", i);
            String profile = fields.text(item, itemPath, "a profile name");
            if (profile == null) {
                continue;
            }
            if (!PROFILE.matcher(profile).matches()) {
                fields.problem(item.pos(), itemPath, "found '" + profile
                        + "', expected a profile name of letters, digits, '_', '.' and '-', starting with a letter or digit");
            } else if (!out.contains(profile)) {
                out.add(profile);
            }
        }
        return out;
    }

    private String user(SourceNode node, String path) {
        String text = fields.text(node, path, "a user name");
        if (text != null && !USER.matcher(text).matches()) {
            fields.problem(node.pos(), path, "found '" + text
                    + "', expected a Linux user name: lower-case letters, digits, '_' and '-', at most 32");
            return null;
        }
        return text;
    }

    /** {@code uid:} of the guest's login user; refused where the image may hold it ({@link GuestUid#takenInImage}). */
    private GuestUid uid(SourceNode node, String path) {
        Integer uid = fields.integer(node, path, 0, Integer.MAX_VALUE, "a uid (1000 or above)");
        if (uid == null) {
            return null;
        }
        Optional<String> taken = GuestUid.takenInImage(uid);
        if (taken.isPresent()) {
            fields.problem(node.pos(), path, taken.get() + "; cloud-init could not create the user with it: use "
                    + GuestUid.FIRST_REGULAR + " or above, or drop uid: for the host user's uid");
            return null;
        }
        return new GuestUid(uid, uid, GuestUid.Origin.FILE);
    }

    static final List<String> VNC_KEYS = List.of("display", "password");
    private static final String VNC_DISPLAY = "true, 'unix', 'auto' or a display number (127.0.0.1, port 5900+N)";

    /** {@code vnc: true | unix | auto | N | {display: ..., password: ...}}; {@code false} or null is none. */
    private Optional<VncSpec> vnc(SourceNode node, String path) {
        if (Fields.isNull(node)) {
            return Optional.empty();
        }
        if (node instanceof MapNode map) {
            fields.onlyKeys(map, path, VNC_KEYS);
            Optional<java.util.OptionalInt> display = Optional.empty();
            var displayNode = Fields.get(map, "display");
            if (displayNode.isPresent()) {
                var parsed = vncDisplay(displayNode.get(), path + ".display");
                if (parsed == null) {
                    return Optional.empty();
                }
                display = parsed;
            }
            Optional<String> password = Fields.get(map, "password").map(n -> vncPassword(n, path + ".password"));
            if (password.isPresent() && password.get() == null) {
                return Optional.empty();
            }
            return Optional.of(new VncSpec(display, password));
        }
        var display = vncDisplay(node, path);
        return display == null || (node instanceof Scalar s && s.text().strip().equalsIgnoreCase("false"))
                ? Optional.empty() : Optional.of(new VncSpec(display, Optional.empty()));
    }

    /** Empty for the Unix socket, an empty OptionalInt for auto; null after a problem (and for false). */
    private Optional<java.util.OptionalInt> vncDisplay(SourceNode node, String path) {
        String text = fields.text(node, path, VNC_DISPLAY);
        if (text == null) {
            return null;
        }
        String t = text.strip().toLowerCase(Locale.ROOT);
        switch (t) {
            case "true", "unix" -> { return Optional.empty(); }
            case "auto" -> { return Optional.of(java.util.OptionalInt.empty()); }
            case "false" -> { return null; }
            default -> {
                Integer n = fields.integer(node, path, 0, VncSpec.MAX_DISPLAY, VNC_DISPLAY);
                return n == null ? null : Optional.of(java.util.OptionalInt.of(n));
            }
        }
    }

    private String vncPassword(SourceNode node, String path) {
        String text = fields.text(node, path, "a password of 1 to " + VncSpec.MAX_PASSWORD + " characters");
        if (text == null) {
            return null;
        }
        if (text.isEmpty() || text.length() > VncSpec.MAX_PASSWORD) {
            fields.problem(node.pos(), path, "found a password of " + text.length() + " characters, expected 1 to "
                    + VncSpec.MAX_PASSWORD + " (VNC authentication uses only the first 8)");
            return null;
        }
        return text;
    }
}
