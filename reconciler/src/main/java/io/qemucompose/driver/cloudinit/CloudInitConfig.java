package io.qemucompose.driver.cloudinit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a VM's NoCloud seed should configure. Password login is off unless {@code password} is
 * given explicitly (the Go tool set a password for every user; we do not).
 *
 * @param hostname          the guest's host name (the VM name)
 * @param user              the login user, created by cloud-init with passwordless sudo
 * @param userIds           the login user's uid and primary gid; empty = what the image's useradd picks
 * @param sshAuthorizedKeys OpenSSH public key lines (the project key first)
 * @param password          opt-in password for console and SSH password login, in clear: the seed holds
 *                          only its SHA-512 crypt hash ({@link PasswordHash})
 * @param mounts            fstab entries cloud-init writes and mounts (9p shares, volume disks)
 * @param writeFiles        files to write on first boot of the instance
 * @param runcmd            shell commands for the first boot of the instance, after everything else
 * @param nics              NICs to configure by MAC; empty = no network-config (DHCP on the single NIC)
 */
public record CloudInitConfig(String hostname, String user, Optional<UserIds> userIds, List<String> sshAuthorizedKeys,
                              Optional<String> password,
                              List<GuestMount> mounts, List<WriteFile> writeFiles, List<String> runcmd,
                              List<NicConfig> nics) {

    public CloudInitConfig {
        requireText(hostname, "hostname");
        requireText(user, "user");
        if (!user.matches("[a-z_][a-z0-9_-]*")) {
            throw new IllegalArgumentException("invalid guest user name '" + user + "'");
        }
        userIds = userIds == null ? Optional.empty() : userIds;
        sshAuthorizedKeys = List.copyOf(sshAuthorizedKeys);
        password = password == null ? Optional.empty() : password;
        password.ifPresent(CloudInitConfig::requireNoControlCharacters);
        mounts = List.copyOf(mounts);
        writeFiles = List.copyOf(writeFiles);
        runcmd = List.copyOf(runcmd);
        nics = List.copyOf(nics);
    }

    /**
     * A password goes into a line-oriented world (chpasswd's {@code user:password} lines, the
     * console): a newline in it could set a second user's password, so control characters are refused.
     */
    private static void requireNoControlCharacters(String password) {
        if (password.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("password: holds a control character (newline, tab, ...); "
                    + "use printable characters only");
        }
    }

    /** The usual start: host name, user and keys; nothing else. */
    public static CloudInitConfig of(String hostname, String user, List<String> sshAuthorizedKeys) {
        return new CloudInitConfig(hostname, user, Optional.empty(), sshAuthorizedKeys, Optional.empty(), List.of(), List.of(), List.of(),
                List.of());
    }

    public CloudInitConfig withUserIds(UserIds ids) {
        return new CloudInitConfig(hostname, user, Optional.of(ids), sshAuthorizedKeys, password, mounts, writeFiles,
                runcmd, nics);
    }

    public CloudInitConfig withPassword(String password) {
        return new CloudInitConfig(hostname, user, userIds, sshAuthorizedKeys, Optional.of(password), mounts, writeFiles, runcmd, nics);
    }

    public CloudInitConfig withMount(GuestMount mount) {
        return new CloudInitConfig(hostname, user, userIds, sshAuthorizedKeys, password, append(mounts, mount), writeFiles, runcmd,
                nics);
    }

    public CloudInitConfig withWriteFile(WriteFile file) {
        return new CloudInitConfig(hostname, user, userIds, sshAuthorizedKeys, password, mounts, append(writeFiles, file), runcmd,
                nics);
    }

    public CloudInitConfig withRuncmd(String command) {
        return new CloudInitConfig(hostname, user, userIds, sshAuthorizedKeys, password, mounts, writeFiles, append(runcmd, command),
                nics);
    }

    public CloudInitConfig withNic(NicConfig nic) {
        return new CloudInitConfig(hostname, user, userIds, sshAuthorizedKeys, password, mounts, writeFiles, runcmd, append(nics, nic));
    }

    /**
     * One fstab line as cloud-init's {@code mounts:} takes it.
     *
     * @param spec    the device or 9p tag
     * @param passno  fsck order (0 = never)
     */
    public record GuestMount(String spec, String target, String fsType, String options, int passno) {

        /** A virtio-9p share exported by QEMU under {@code tag}; nofail so a missing share never blocks boot. */
        public static GuestMount ninep(String tag, String target, boolean readOnly) {
            return new GuestMount(tag, target, "9p",
                    "trans=virtio,version=9p2000.L,msize=104857600,nofail" + (readOnly ? ",ro" : ""), 0);
        }

        /** A disk attached with {@code -device virtio-blk,serial=<serial>}, found by its stable by-id path. */
        public static GuestMount diskById(String serial, String target, String fsType) {
            return new GuestMount("/dev/disk/by-id/virtio-" + serial, target, fsType, "defaults,nofail", 2);
        }
    }

    /** A login user's numeric ids (both positive: cloud-init never creates a uid 0 login user). */
    public record UserIds(int uid, int gid) {
        public UserIds {
            if (uid <= 0 || gid < 0) {
                throw new IllegalArgumentException("guest user ids must be positive, got " + uid + ":" + gid);
            }
        }
    }

    /** A file cloud-init writes ({@code write_files}); {@code permissions} in octal, e.g. "0644". */
    public record WriteFile(String path, String content, String permissions) {
    }

    /**
     * A NIC matched by MAC and renamed to {@code name} (matching by name broke networking on cloud-init
     * 22.4). {@code address} is a CIDR for a static address, empty for DHCP. {@code dhcp4Overrides}
     * limits what a DHCP lease may change (empty: everything, as for the management NIC).
     */
    public record NicConfig(String name, String mac, Optional<String> address, Optional<String> gateway,
                            Optional<Dhcp4Overrides> dhcp4Overrides) {

        public NicConfig {
            dhcp4Overrides = dhcp4Overrides == null ? Optional.empty() : dhcp4Overrides;
            if (dhcp4Overrides.isPresent() && address.isPresent()) {
                throw new IllegalArgumentException("NIC " + name + " has a static address: DHCP overrides make no sense");
            }
        }

        public NicConfig(String name, String mac, Optional<String> address, Optional<String> gateway) {
            this(name, mac, address, gateway, Optional.empty());
        }

        public static NicConfig dhcp(String name, String mac) {
            return new NicConfig(name, mac, Optional.empty(), Optional.empty());
        }

        /**
         * A NIC on a bridge network: DHCP for its address, but no routes from it (the default route stays
         * on the management NIC); its DNS server and search domain are taken, so VMs find each other by name.
         */
        public static NicConfig bridge(String name, String mac) {
            return new NicConfig(name, mac, Optional.empty(), Optional.empty(),
                    Optional.of(new Dhcp4Overrides(false, true, true)));
        }
    }

    /** netplan's {@code dhcp4-overrides} that cloud-init's networkd renderer knows. */
    public record Dhcp4Overrides(boolean useRoutes, boolean useDns, boolean useDomains) {
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> copy = new ArrayList<>(list);
        copy.add(item);
        return copy;
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("cloud-init " + what + " must not be empty");
        }
    }
}
