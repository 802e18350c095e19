package io.qemucompose.driver.cloudinit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.snakeyaml.engine.v2.api.Dump;

/**
 * Renders a {@link CloudInitConfig} into NoCloud user-data, meta-data and network-config.
 *
 * <p>The instance-id is {@code "qc-" + a hash of user-data and network-config}: any change of what
 * the guest should be gives a new instance-id, and only then does cloud-init re-run its
 * per-instance modules on the next boot (with a fixed id, edits are silently ignored).
 *
 * <p>The last {@code runcmd} writes {@link #PROVISIONED_MARKER}, so the host can tell that
 * provisioning of this instance ran to its end even where {@code cloud-init status} is missing.
 */
public final class SeedRenderer {

    /** Written by the seed's last runcmd, containing nothing; per instance (runcmd runs once per instance). */
    public static final String PROVISIONED_MARKER = "/var/lib/qemu-compose/provisioned";

    /**
     * bootcmd (every boot, before users-groups and before anyone can log in): the login user's
     * primary group must exist for {@code useradd --gid}, and a user that exists already (an image
     * that ships it, or an instance made before the ids changed) is moved to the ids, since
     * cloud-init leaves an existing user as it is. Arguments: user, uid, gid.
     */
    static final String ENSURE_IDS = "u=$1 uid=$2 gid=$3; "
            + "getent group \"$gid\" >/dev/null || if getent group \"$u\" >/dev/null;"
            + " then groupmod --gid \"$gid\" \"$u\"; else groupadd --gid \"$gid\" \"$u\"; fi; "
            + "if id -u \"$u\" >/dev/null 2>&1 && [ \"$(id -u \"$u\"):$(id -g \"$u\")\" != \"$uid:$gid\" ];"
            + " then usermod --uid \"$uid\" --gid \"$gid\" \"$u\"; fi";

    /**
     * Safe to call from several threads at once (an apply writes its VMs' seeds in parallel): each
     * call has its own {@link Dump}, whose representer keeps per-document state and is not thread-safe
     * (a shared one failed one seed in twenty with "keyNode must be provided").
     */
    public RenderedSeed render(CloudInitConfig config) {
        Dump yaml = CloudConfigYaml.dumper();
        String userData = "#cloud-config\n" + yaml.dumpToString(userData(config));
        Optional<String> networkConfig = config.nics().isEmpty()
                ? Optional.empty()
                : Optional.of(yaml.dumpToString(networkConfig(config.nics())));
        String instanceId = "qc-" + shortHash(userData + "\u0000" + networkConfig.orElse(""));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("instance-id", instanceId);
        meta.put("local-hostname", config.hostname());
        return new RenderedSeed(userData, yaml.dumpToString(meta), networkConfig, instanceId);
    }

    private static Map<String, Object> userData(CloudInitConfig c) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("hostname", c.hostname());
        doc.put("manage_etc_hosts", true);

        c.userIds().ifPresent(ids -> doc.put("bootcmd", List.of(List.of("sh", "-c", ENSURE_IDS, "qemu-compose-ids",
                c.user(), Integer.toString(ids.uid()), Integer.toString(ids.gid())))));

        Map<String, Object> user = new LinkedHashMap<>();
        user.put("name", c.user());
        c.userIds().ifPresent(ids -> {
            user.put("uid", ids.uid());
            // cloud-init hands a string through as useradd --gid; the bootcmd made the group
            user.put("primary_group", Integer.toString(ids.gid()));
        });
        user.put("shell", "/bin/bash");
        user.put("sudo", "ALL=(ALL) NOPASSWD:ALL");
        user.put("lock_passwd", c.password().isEmpty());
        user.put("ssh_authorized_keys", c.sshAuthorizedKeys());
        doc.put("users", List.of(user));
        doc.put("ssh_pwauth", c.password().isPresent());
        c.password().ifPresent(pw -> doc.put("chpasswd", orderedMap(
                "expire", false,
                "users", List.of(orderedMap("name", c.user(),
                        "password", PasswordHash.sha512Crypt(pw, c.hostname() + "\u0000" + c.user() + "\u0000"
                                + String.join("\n", c.sshAuthorizedKeys())),
                        "type", "hash")))));

        if (!c.mounts().isEmpty()) {
            List<CloudConfigYaml.FlowRow> mounts = new ArrayList<>();
            for (CloudInitConfig.GuestMount m : c.mounts()) {
                mounts.add(new CloudConfigYaml.FlowRow(List.of(m.spec(), m.target(), m.fsType(), m.options(), "0", Integer.toString(m.passno()))));
            }
            doc.put("mounts", mounts);
        }
        if (!c.writeFiles().isEmpty()) {
            List<Map<String, Object>> files = new ArrayList<>();
            for (CloudInitConfig.WriteFile f : c.writeFiles()) {
                files.add(orderedMap("path", f.path(), "content", f.content(), "permissions", f.permissions()));
            }
            doc.put("write_files", files);
        }
        List<String> runcmd = new ArrayList<>(c.runcmd());
        runcmd.add("mkdir -p /var/lib/qemu-compose && touch " + PROVISIONED_MARKER);
        doc.put("runcmd", runcmd);
        return doc;
    }

    private static Map<String, Object> networkConfig(List<CloudInitConfig.NicConfig> nics) {
        Map<String, Object> ethernets = new LinkedHashMap<>();
        for (CloudInitConfig.NicConfig nic : nics) {
            Map<String, Object> eth = new LinkedHashMap<>();
            eth.put("match", orderedMap("macaddress", nic.mac()));
            eth.put("set-name", nic.name());
            if (nic.address().isPresent()) {
                eth.put("addresses", List.of(nic.address().get()));
                nic.gateway().ifPresent(gw -> eth.put("routes", List.of(orderedMap("to", "default", "via", gw))));
            } else {
                eth.put("dhcp4", true);
                nic.dhcp4Overrides().ifPresent(o -> eth.put("dhcp4-overrides", orderedMap(
                        "use-routes", o.useRoutes(), "use-dns", o.useDns(), "use-domains", o.useDomains())));
            }
            ethernets.put(nic.name(), eth);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("version", 2);
        doc.put("ethernets", ethernets);
        return doc;
    }

    private static Map<String, Object> orderedMap(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private static String shortHash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
