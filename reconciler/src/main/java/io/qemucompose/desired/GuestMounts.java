package io.qemucompose.desired;

import io.qemucompose.spec.Mount;
import io.qemucompose.spec.VmSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a VM's {@code volumes:} reach the guest, decided once for QEMU's argv, the cloud-init seed
 * and {@code inspect}: bind mounts are 9p shares tagged {@code mount0}, {@code mount1}, … in the
 * order of the VM's bind mounts; named volumes are virtio disks with the serial
 * {@code qc-<volume>}, found in the guest as {@code /dev/disk/by-id/virtio-qc-<volume>} whatever
 * their order. A bind mount of a single file (9p exports folders only) shares the file's folder at
 * a hidden mount point, {@value #FILE_SHARES}{@code /<tag>}, and links the file's target to it; the
 * only thing read from the host is whether the source is a regular file.
 */
public record GuestMounts(List<Share9p> shares, List<VolumeDisk> disks) {

    public static final String TAG_PREFIX = "mount";

    /** Where the folders of single-file bind mounts are mounted in the guest. */
    public static final String FILE_SHARES = "/var/lib/qemu-compose/files";

    /** Linux's virtio 9p transport caps msize at 512000 (and logs a warning above it). */
    public static final String DEFAULT_9P_OPTIONS = "trans=virtio,version=9p2000.L,msize=512000";

    /** virtio-blk passes at most 20 bytes of serial to the guest; longer ones are cut by QEMU. */
    static final int MAX_SERIAL = 20;

    public GuestMounts {
        shares = List.copyOf(shares);
        disks = List.copyOf(disks);
    }

    /**
     * One 9p share.
     *
     * @param options the full 9p mount options, without {@code nofail} (that is for fstab only)
     * @param file for a single-file bind mount: the file in the shared folder and where it appears;
     *     {@code source} is then the file's folder and {@code target} the hidden mount point
     */
    public record Share9p(Path source, String tag, String target, boolean readOnly, boolean automount,
            String options, Optional<SingleFile> file) {

        public Share9p(Path source, String tag, String target, boolean readOnly, boolean automount, String options) {
            this(source, tag, target, readOnly, automount, options, Optional.empty());
        }

        /** The command that mounts this share by hand in the guest (for {@code automount: false}). */
        public String manualMountCommand() {
            return "sudo mkdir -p " + shellQuote(target) + " && sudo mount -t 9p -o " + options + " " + tag + " "
                    + shellQuote(target) + file.map(f -> " && " + f.linkCommand(target, "sudo ")).orElse("");
        }
    }

    /**
     * A single file of a shared folder, shown at {@code guestPath} by a symbolic link into the
     * share: a link survives reboots with no mount ordering to get right, and a read-only share
     * makes the file read-only through it.
     */
    public record SingleFile(String name, String guestPath) {

        /**
         * Makes the link (replacing whatever is there) once the share is mounted.
         *
         * @param asRoot how each command is run: {@code "sudo "} for a user's shell, {@code ""} in runcmd
         */
        public String linkCommand(String mountPoint, String asRoot) {
            String parent = Path.of(guestPath).getParent() == null ? "/" : Path.of(guestPath).getParent().toString();
            return asRoot + "mkdir -p " + shellQuote(parent) + " && " + asRoot + "ln -sfn "
                    + shellQuote(mountPoint + "/" + name) + " " + shellQuote(guestPath);
        }
    }

    /** One named volume's disk, attached with {@code serial}. */
    public record VolumeDisk(String volume, String serial, String target, boolean readOnly) {

        public String devicePath() {
            return "/dev/disk/by-id/virtio-" + serial;
        }

        /** fstab options: nofail so a missing disk never blocks boot; ro disks are also read-only to QEMU. */
        public String options() {
            return readOnly ? "ro,nofail" : "defaults,nofail";
        }
    }

    public static GuestMounts of(VmSpec vm) {
        List<Share9p> shares = new ArrayList<>();
        List<VolumeDisk> disks = new ArrayList<>();
        for (Mount m : vm.volumes()) {
            switch (m) {
                case Mount.BindMount b -> {
                    String tag = TAG_PREFIX + shares.size();
                    String options = ninepOptions(b.mountOptions(), b.readOnly());
                    if (Files.isRegularFile(b.source()) && b.source().getParent() != null) {
                        shares.add(new Share9p(b.source().getParent(), tag, FILE_SHARES + "/" + tag, b.readOnly(),
                                b.automount(), options, Optional.of(new SingleFile(b.source().getFileName().toString(),
                                        b.target()))));
                    } else {
                        shares.add(new Share9p(b.source(), tag, b.target(), b.readOnly(), b.automount(), options));
                    }
                }
                case Mount.NamedVolumeMount v -> disks.add(new VolumeDisk(v.volume(), serial(v.volume()), v.target(),
                        v.readOnly()));
            }
        }
        return new GuestMounts(shares, disks);
    }

    /** The manual mount command of each bind mount with {@code automount: false}, by guest target. */
    public static Map<String, String> manualMountCommands(VmSpec vm) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Share9p s : of(vm).shares()) {
            if (!s.automount()) {
                out.put(s.target(), s.manualMountCommand());
            }
        }
        return out;
    }

    /**
     * {@code qc-<volume>}, or, when that is longer than virtio's 20 bytes, {@code qc-} + the first 8
     * characters + {@code -} + 8 hex digits of the name's hash, so long names stay distinct.
     */
    public static String serial(String volume) {
        String plain = "qc-" + volume;
        if (plain.length() <= MAX_SERIAL) {
            return plain;
        }
        return "qc-" + volume.substring(0, 8) + "-" + DesiredStates.sha256(volume).substring(0, 8);
    }

    /**
     * The defaults with the user's {@code mount_options} laid over them: a {@code key=value} the user
     * gives replaces the default's value, other options are added. {@code ro} is added for a
     * read-only mount (QEMU enforces it anyway; the guest then reports EROFS rather than EACCES).
     */
    static String ninepOptions(Optional<String> user, boolean readOnly) {
        Map<String, String> merged = new LinkedHashMap<>();
        addAll(merged, DEFAULT_9P_OPTIONS);
        user.ifPresent(u -> addAll(merged, u));
        if (readOnly) {
            merged.remove("rw");
            merged.put("ro", null);
        }
        List<String> parts = new ArrayList<>();
        merged.forEach((k, v) -> parts.add(v == null ? k : k + "=" + v));
        return String.join(",", parts);
    }

    private static void addAll(Map<String, String> into, String options) {
        for (String o : options.split(",")) {
            String t = o.strip();
            if (t.isEmpty()) {
                continue;
            }
            int eq = t.indexOf('=');
            if (eq < 0) {
                into.put(t, null);
            } else {
                into.put(t.substring(0, eq), t.substring(eq + 1));
            }
        }
    }

    private static String shellQuote(String s) {
        return s.matches("[A-Za-z0-9_./-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
