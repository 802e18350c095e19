package io.qemucompose.cli.command;

import io.qemucompose.driver.cloudinit.DefaultUser;
import io.qemucompose.driver.image.ImageCache;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.Mount;
import io.qemucompose.spec.NetworkSpec;
import io.qemucompose.spec.PortMapping;
import io.qemucompose.spec.Provision;
import io.qemucompose.spec.VmSpec;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.ProjectState;
import io.qemucompose.status.GuestNic;
import io.qemucompose.status.QcowHeader;
import io.qemucompose.status.VmStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The document {@code inspect} shows: built once as an ordered map (the JSON shape, documented in
 * docs/inspect-json.md and kept stable: fields are only ever added), then rendered as text.
 */
final class InspectReport {

    private InspectReport() {
    }

    static Map<String, Object> build(ComposeProject project, VmSpec vm, VmStatus status, ProjectState state,
            ProjectLayout layout, ImageCache images) {
        String name = vm.name();
        String imageRef = vm.image().location().toString();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("project", project.name());
        m.put("status", status.state().label());
        m.put("status_detail", status.detail());
        m.put("systemd_unit", status.unit());
        m.put("cpu", vm.cpu());
        m.put("memory", vm.memoryMb());
        m.put("image", imageRef);
        m.put("image_checksum", vm.image().checksum().map(Object::toString).orElse(null));
        String user = DefaultUser.resolve(imageRef, vm.user());
        String os = DefaultUser.forImage(imageRef);
        m.put("os_type", os.equals(DefaultUser.FALLBACK) ? "unknown" : os);
        m.put("default_user", user);
        m.put("disk", disk(vm, layout, state, images, project));
        m.put("networks", networks(status));
        m.put("ip_address", status.ipAddress().orElse(null));
        m.put("ssh", ssh(status, user, layout));
        m.put("ports", vm.ports().stream().map(InspectReport::port).toList());
        m.put("volumes", vm.volumes().stream().map(v -> volume(v, project, layout)).toList());
        m.put("environment", new LinkedHashMap<>(vm.environment()));
        m.put("provisioning", vm.provision().stream().map(InspectReport::provision).toList());
        List<Map<String, Object>> deps = new ArrayList<>();
        vm.dependsOn().forEach((dep, d) -> deps.add(ordered("vm", dep, "condition", d.condition().yamlName())));
        m.put("depends_on", deps);
        m.put("console", ordered("socket", layout.consoleSocket(name).toString(),
                "attach", "qemu-compose console " + name));
        // only VMs with vnc: carry the key, so documents of the others keep their shape
        vm.vnc().ifPresent(v -> m.put("vnc", ordered(
                "address", v.display().map(d -> d.isPresent() ? "127.0.0.1:" + (5900 + d.getAsInt()) : "127.0.0.1:auto")
                        .orElse("unix:" + layout.vncSocket(name)),
                "password", v.password().isPresent(),
                "connect", v.onUnixSocket() ? "a VNC viewer on the socket, e.g. vncviewer " + layout.vncSocket(name)
                        : v.display().get().isPresent() ? "vncviewer 127.0.0.1::" + (5900 + v.display().get().getAsInt())
                        : "the port QEMU chose: qemu-compose qmp " + name + " query-vnc")));
        m.put("logs", ordered("console_log", layout.consoleLog(name).toString(),
                "unit_log", layout.unitLog(name).toString(),
                "view", "qemu-compose logs --follow " + name));
        return m;
    }

    private static Map<String, Object> disk(VmSpec vm, ProjectLayout layout, ProjectState state, ImageCache images,
            ComposeProject project) {
        Path overlay = layout.overlayDisk(vm.name());
        Optional<QcowHeader> header = Optional.empty();
        if (Files.isRegularFile(overlay)) {
            try {
                header = Optional.of(QcowHeader.read(overlay));
            } catch (IOException e) {
                // shown as unknown size; inspect must not fail on a damaged overlay
            }
        }
        String base = header.flatMap(h -> h.backingPath(overlay)).map(Path::toString)
                .or(() -> state.vm(vm.name()).map(ProjectState.VmRecord::baseImage))
                .orElseGet(() -> images.resolve(vm.image().location().toString(), project.projectDir()).path().toString());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("size", header.map(h -> HumanSizes.compact(h.virtualSize()))
                .or(() -> vm.diskSize().map(Object::toString)).orElse("image size"));
        d.put("size_bytes", header.map(QcowHeader::virtualSize).orElse(null));
        d.put("instance_disk", overlay.toString());
        d.put("instance_disk_exists", header.isPresent());
        d.put("base_image", base);
        d.put("cloud_init_iso", layout.seedIso(vm.name()).toString());
        return d;
    }

    /**
     * The user-mode NIC, then one entry per bridge network. A VM without networks shows the one
     * user-mode entry it always has, in the shape it always had.
     */
    private static List<Map<String, Object>> networks(VmStatus status) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (GuestNic nic : status.nics()) {
            Map<String, Object> n = new LinkedHashMap<>();
            switch (nic) {
                case GuestNic.User u -> {
                    n.put("name", "user");
                    n.put("driver", "user");
                    n.put("ssh_forward", u.sshForward().orElse(null));
                }
                case GuestNic.Bridge b -> {
                    n.put("name", b.network());
                    n.put("driver", NetworkSpec.BRIDGE);
                    n.put("bridge", b.bridge());
                    n.put("tap", b.tap());
                    n.put("subnet", b.subnet().orElse(null));
                    n.put("dhcp_unit", b.dhcpUnit());
                    n.put("mac", b.mac());
                    n.put("reserved_ip", b.reserved().orElse(null));
                    n.put("ip_address", b.leased().orElse(null));
                }
            }
            out.add(n);
        }
        return out;
    }

    private static Map<String, Object> ssh(VmStatus status, String user, ProjectLayout layout) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("host", "127.0.0.1");
        s.put("port", status.sshPort().orElse(null));
        s.put("user", user);
        s.put("identity_file", layout.sshPrivateKey().toString());
        s.put("known_hosts", layout.knownHosts().toString());
        return s;
    }

    private static Map<String, Object> port(PortMapping p) {
        return ordered("host_ip", p.hostIp(), "host_port", p.hostPort(), "guest_port", p.guestPort(),
                "protocol", p.protocol().toString());
    }

    private static Map<String, Object> volume(Mount mount, ComposeProject project, ProjectLayout layout) {
        Map<String, Object> v = new LinkedHashMap<>();
        switch (mount) {
            case Mount.BindMount b -> {
                v.put("type", "bind");
                v.put("source", b.source().toString());
                v.put("target", b.target());
                v.put("read_only", b.readOnly());
                v.put("automount", b.automount());
                v.put("mount_options", b.mountOptions().orElse(null));
            }
            case Mount.NamedVolumeMount n -> {
                v.put("type", "volume");
                v.put("source", n.volume());
                v.put("target", n.target());
                v.put("read_only", n.readOnly());
                v.put("automount", true);
                var spec = project.volumes().get(n.volume());
                v.put("size", spec == null ? null : spec.size().toString());
                v.put("path", layout.volumeDir(n.volume()).toString());
            }
        }
        return v;
    }

    private static Map<String, Object> provision(Provision p) {
        return switch (p) {
            case Provision.InlineShell s -> ordered("type", "shell", "inline", s.script());
            case Provision.ShellScript s -> ordered("type", "shell", "script", s.script().toString());
            case Provision.FileCopy f -> ordered("type", "file", "source", f.source().toString(),
                    "destination", f.destination());
        };
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
