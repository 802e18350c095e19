package io.qemucompose.cli.command;

import java.util.List;
import java.util.Map;

/** Renders {@link InspectReport}'s document as the seed README's text layout. */
final class InspectText {

    private InspectText() {
    }

    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> r) {
        StringBuilder sb = new StringBuilder();
        line(sb, "VM: " + r.get("name"));
        line(sb, "Project: " + r.get("project"));
        line(sb, "=".repeat(80));
        line(sb, "");
        line(sb, "Status:");
        String detail = (String) r.get("status_detail");
        line(sb, "  State: " + r.get("status") + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
        line(sb, "  Systemd Unit: " + r.get("systemd_unit"));
        line(sb, "");
        line(sb, "Configuration:");
        line(sb, "  CPU: " + r.get("cpu"));
        line(sb, "  Memory: " + r.get("memory") + " MB");
        line(sb, "  Image: " + r.get("image"));
        if (r.get("image_checksum") != null) {
            line(sb, "  Image Checksum: " + r.get("image_checksum"));
        }
        line(sb, "  OS Type: " + r.get("os_type"));
        line(sb, "  Default User: " + r.get("default_user"));
        line(sb, "");
        Map<String, Object> disk = (Map<String, Object>) r.get("disk");
        line(sb, "Disk:");
        line(sb, "  Size: " + disk.get("size"));
        line(sb, "  Instance Disk: " + disk.get("instance_disk") + (Boolean.TRUE.equals(disk.get("instance_disk_exists"))
                ? "" : " (not created)"));
        line(sb, "  Base Image: " + disk.get("base_image"));
        line(sb, "  Cloud-Init ISO: " + disk.get("cloud_init_iso"));
        line(sb, "");
        line(sb, "Networks:");
        for (Map<String, Object> n : InspectCommand.list(r.get("networks"))) {
            line(sb, "  - " + n.get("name") + ":");
            line(sb, "      Driver: " + n.get("driver"));
            if ("user".equals(n.get("driver"))) {
                line(sb, "      SSH Forward: " + orDash(n.get("ssh_forward")));
            } else {
                line(sb, "      Bridge: " + n.get("bridge"));
                line(sb, "      TAP Device: " + n.get("tap"));
                line(sb, "      MAC Address: " + n.get("mac"));
                line(sb, "      Subnet: " + orDash(n.get("subnet")));
                line(sb, "      Reserved IP: " + orDash(n.get("reserved_ip")));
                line(sb, "      Leased IP: " + orDash(n.get("ip_address")));
                line(sb, "      DHCP Unit: " + n.get("dhcp_unit"));
            }
        }
        line(sb, "  IP Address: " + orDash(r.get("ip_address")));
        line(sb, "");
        Map<String, Object> ssh = (Map<String, Object>) r.get("ssh");
        line(sb, "SSH:");
        line(sb, "  Port: " + orDash(ssh.get("port")));
        line(sb, "  User: " + ssh.get("user"));
        line(sb, "  Identity File: " + ssh.get("identity_file"));
        line(sb, "  Connect: qemu-compose ssh " + r.get("name"));
        line(sb, "");
        List<Map<String, Object>> ports = InspectCommand.list(r.get("ports"));
        if (!ports.isEmpty()) {
            line(sb, "Ports:");
            for (Map<String, Object> p : ports) {
                line(sb, "  - " + p.get("host_ip") + ":" + p.get("host_port") + " -> " + p.get("guest_port") + "/"
                        + p.get("protocol"));
            }
            line(sb, "");
        }
        List<Map<String, Object>> volumes = InspectCommand.list(r.get("volumes"));
        if (!volumes.isEmpty()) {
            line(sb, "Volumes:");
            for (Map<String, Object> v : volumes) {
                boolean ro = Boolean.TRUE.equals(v.get("read_only"));
                line(sb, "  - " + v.get("source") + " -> " + v.get("target") + " (" + v.get("type") + (ro ? ", ro" : "") + ")");
                if ("bind".equals(v.get("type"))) {
                    line(sb, "      Host Path: " + v.get("source"));
                    line(sb, "      Automount: " + v.get("automount"));
                    if (v.get("mount_options") != null) {
                        line(sb, "      Mount Options: " + v.get("mount_options"));
                    }
                } else {
                    line(sb, "      Size: " + orDash(v.get("size")));
                    line(sb, "      Path: " + v.get("path"));
                }
            }
            line(sb, "");
        }
        Map<String, Object> environment = (Map<String, Object>) r.get("environment");
        if (!environment.isEmpty()) {
            line(sb, "Environment:");
            environment.forEach((k, v) -> line(sb, "  " + k + "=" + v));
            line(sb, "");
        }
        List<Map<String, Object>> provisioning = InspectCommand.list(r.get("provisioning"));
        if (!provisioning.isEmpty()) {
            line(sb, "Provisioning:");
            int i = 1;
            for (Map<String, Object> p : provisioning) {
                String what = p.containsKey("inline") ? "shell: " + firstLine((String) p.get("inline"))
                        : p.containsKey("script") ? "shell script: " + p.get("script")
                        : "file: " + p.get("source") + " -> " + p.get("destination");
                line(sb, "  " + i++ + ". " + what);
            }
            line(sb, "");
        }
        List<Map<String, Object>> deps = InspectCommand.list(r.get("depends_on"));
        if (!deps.isEmpty()) {
            line(sb, "Dependencies:");
            deps.forEach(d -> line(sb, "  - " + d.get("vm") + " (" + d.get("condition") + ")"));
            line(sb, "");
        }
        Map<String, Object> console = (Map<String, Object>) r.get("console");
        line(sb, "Console:");
        line(sb, "  Socket: " + console.get("socket"));
        line(sb, "  Attach: " + console.get("attach"));
        if (r.get("vnc") instanceof Map<?, ?> vnc) {
            line(sb, "VNC: " + vnc.get("address") + (Boolean.TRUE.equals(vnc.get("password")) ? " (password)" : ""));
            line(sb, "  Connect: " + vnc.get("connect"));
        }
        line(sb, "");
        Map<String, Object> logs = (Map<String, Object>) r.get("logs");
        line(sb, "Logs:");
        line(sb, "  Console Log: " + logs.get("console_log"));
        line(sb, "  Unit Log: " + logs.get("unit_log"));
        line(sb, "  View: " + logs.get("view"));
        return sb.toString();
    }

    private static String firstLine(String s) {
        String first = s.lines().findFirst().orElse("");
        return s.lines().count() > 1 ? first + " ..." : first;
    }

    private static String orDash(Object o) {
        return o == null ? "-" : o.toString();
    }

    private static void line(StringBuilder sb, String s) {
        sb.append(s).append('\n');
    }
}
