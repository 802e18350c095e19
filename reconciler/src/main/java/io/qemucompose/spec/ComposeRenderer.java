package io.qemucompose.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.RepresentToNode;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.representer.StandardRepresenter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prints a resolved project for {@code config}: defaults filled, interpolated, paths absolute,
 * every field in its long form. The YAML output is itself a valid compose file that loads back
 * to an equal project (interpolation is escaped with {@code $$}), and stays right for YAML 1.1
 * readers (PyYAML, older tools): no anchors, and every string such a reader would take for a
 * boolean, null, number or date ({@code no}, {@code on}, {@code 0755}, {@code 2024-01-01}) is
 * double-quoted. {@code x-} fields are printed back as written.
 */
public final class ComposeRenderer {
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    /** YAML 1.1's implicit types (yaml.org/type): plain scalars a 1.1 reader does not read as a string. */
    static final Pattern YAML_1_1_NOT_A_STRING = Pattern.compile(String.join("|",
            "y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF",
            "~|null|Null|NULL|",
            "[-+]?0b[0-1_]+|[-+]?0[0-9_]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+",
            "[-+]?([0-9][0-9_]*)?\\.[0-9.]*([eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*",
            "[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)",
            "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?",
            "=|<<"));

    private ComposeRenderer() {}

    public static String toYaml(ComposeProject project) {
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(2)
                .setIndicatorIndent(2).setIndentWithIndicator(true).setDereferenceAliases(true).build();
        return new Dump(settings, new Yaml11SafeRepresenter(settings)).dumpToString(tree(project, true));
    }

    public static String toJson(ComposeProject project) {
        return JSON.writeValueAsString(tree(project, false)) + "\n";
    }

    /** The project as plain maps and lists, in compose-file shape. */
    static Map<String, Object> tree(ComposeProject project, boolean escape) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", project.name());
        Map<String, Object> networks = new LinkedHashMap<>();
        project.networks().values().forEach(n -> networks.put(n.name(),
                map("driver", n.driver(), "subnet", n.subnet().toString())));
        root.put("networks", networks);
        Map<String, Object> volumes = new LinkedHashMap<>();
        project.volumes().values().forEach(v -> volumes.put(v.name(), map("size", v.size().toString())));
        root.put("volumes", volumes);
        Map<String, Object> vms = new LinkedHashMap<>();
        // a scaled VM is one definition in the file: shown once, under its own name, with its count
        project.vms().values().stream().filter(vm -> vm.replica().index() == 1).forEach(vm -> {
            Map<String, Object> out = vm(vm, escape);
            out.putAll(project.extensions().of(vm.name()));
            vms.put(vm.name(), out);
        });
        root.put("vms", vms);
        root.putAll(project.extensions().project());
        return root;
    }

    private static final class Yaml11SafeRepresenter extends StandardRepresenter {
        Yaml11SafeRepresenter(DumpSettings settings) {
            super(settings);
            RepresentToNode strings = representers.get(String.class);
            representers.put(String.class, data -> {
                Node node = strings.representData(data);
                return node instanceof ScalarNode scalar && scalar.isPlain()
                        && YAML_1_1_NOT_A_STRING.matcher(scalar.getValue()).matches()
                        ? new ScalarNode(Tag.STR, scalar.getValue(), ScalarStyle.DOUBLE_QUOTED) : node;
            });
        }
    }

    private static Map<String, Object> vm(VmSpec vm, boolean escape) {
        java.util.function.UnaryOperator<String> s = escape ? Interpolation::escape : x -> x;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("image", s.apply(vm.image().location().toString()));
        // the device profile, resolved: os (default linux) and the platform (default the host's)
        out.put("os", vm.os().id());
        out.put("platform", vm.arch().platform());
        vm.image().checksum().ifPresent(c -> out.put("image_checksum", s.apply(c.toString())));
        out.put("cpu", vm.cpu());
        out.put("memory", vm.memoryMb());
        vm.diskSize().ifPresent(d -> out.put("disk", map("size", d.toString())));
        out.put("networks", new ArrayList<>(vm.networks()));
        List<Object> mounts = new ArrayList<>();
        for (Mount mount : vm.volumes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            switch (mount) {
                case Mount.NamedVolumeMount named -> {
                    m.put("source", named.volume());
                    m.put("target", s.apply(named.target()));
                    m.put("read_only", named.readOnly());
                }
                case Mount.BindMount bind -> {
                    m.put("source", s.apply(bind.source().toString()));
                    m.put("target", s.apply(bind.target()));
                    m.put("read_only", bind.readOnly());
                    m.put("automount", bind.automount());
                    bind.mountOptions().ifPresent(o -> m.put("mount_options", o));
                }
            }
            mounts.add(m);
        }
        out.put("volumes", mounts);
        vm.sshPort().ifPresent(p -> out.put("ssh", map("port", p)));
        if (vm.replica().count() > 1) {
            out.put("deploy", map("replicas", vm.replica().count()));
        }
        if (!vm.profiles().isEmpty()) {
            out.put("profiles", vm.profiles());
        }
        vm.user().ifPresent(u -> out.put("user", u));
        vm.uid().filter(u -> u.origin() == GuestUid.Origin.FILE).ifPresent(u -> out.put("uid", u.uid()));
        vm.password().ifPresent(p -> out.put("password", s.apply(p)));
        vm.vnc().ifPresent(v -> {
            Map<String, Object> vnc = new LinkedHashMap<>();
            vnc.put("display", v.display().map(d -> d.isPresent() ? (Object) d.getAsInt() : "auto").orElse("unix"));
            v.password().ifPresent(p -> vnc.put("password", s.apply(p)));
            out.put("vnc", vnc);
        });
        out.put("ports", vm.ports().stream().map(p -> (Object) map("target", p.guestPort(), "published",
                p.hostPort(), "host_ip", p.hostIp(), "protocol", p.protocol().toString())).toList());
        Map<String, Object> env = new LinkedHashMap<>();
        vm.environment().forEach((k, v) -> env.put(k, s.apply(v)));
        out.put("environment", env);
        out.put("provision", vm.provision().stream().map(p -> (Object) switch (p) {
            case Provision.InlineShell i -> map("type", "shell", "inline", s.apply(i.script()));
            case Provision.ShellScript f -> map("type", "shell", "script", s.apply(f.script().toString()));
            case Provision.FileCopy f -> map("type", "file", "source", s.apply(f.source().toString()),
                    "destination", s.apply(f.destination()));
        }).toList());
        Map<String, Object> deps = new LinkedHashMap<>();
        vm.dependsOn().values().forEach(d -> deps.put(d.vm(), map("condition", d.condition().yamlName())));
        out.put("depends_on", deps);
        vm.healthcheck().ifPresent(h -> {
            List<String> test = new ArrayList<>();
            test.add(h.shell() ? "CMD-SHELL" : "CMD");
            h.test().forEach(a -> test.add(s.apply(a)));
            out.put("healthcheck", map("test", test, "interval", duration(h.interval()), "timeout",
                    duration(h.timeout()), "retries", h.retries(), "start_period", duration(h.startPeriod())));
        });
        out.put("restart", vm.restart().yamlName());
        return out;
    }

    /** Go-style duration as docker compose writes it: 1m30s, 500ms, 0s. */
    static String duration(java.time.Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        long nanos = d.toNanos();
        long[] units = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L};
        String[] names = {"h", "m", "s", "ms", "us", "ns"};
        for (int i = 0; i < units.length; i++) {
            if (nanos >= units[i]) {
                out.append(nanos / units[i]).append(names[i]);
                nanos %= units[i];
            }
        }
        return out.toString();
    }

    private static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
