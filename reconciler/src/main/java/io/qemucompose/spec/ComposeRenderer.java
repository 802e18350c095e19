package io.qemucompose.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prints a resolved project for {@code config}: defaults filled, interpolated, paths absolute,
 * every field in its long form. The YAML output is itself a valid compose file that loads back
 * to an equal project (interpolation is escaped with {@code $$}).
 */
public final class ComposeRenderer {
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ComposeRenderer() {}

    public static String toYaml(ComposeProject project) {
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(2)
                .setIndicatorIndent(2).setIndentWithIndicator(true).build();
        return new Dump(settings).dumpToString(tree(project, true));
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
        project.vms().values().forEach(vm -> vms.put(vm.name(), vm(vm, escape)));
        root.put("vms", vms);
        return root;
    }

    private static Map<String, Object> vm(VmSpec vm, boolean escape) {
        java.util.function.UnaryOperator<String> s = escape ? Interpolation::escape : x -> x;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("image", s.apply(vm.image().location().toString()));
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
        vm.user().ifPresent(u -> out.put("user", u));
        vm.password().ifPresent(p -> out.put("password", s.apply(p)));
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
