package io.qemucompose.convert.kubevirt;

import io.qemucompose.desired.GuestMounts;
import io.qemucompose.driver.cloudinit.ShellWords;
import java.util.List;

/**
 * The user-data a KubeVirt VM gets: the local seed's user-data unchanged, and for VMs with named
 * volumes a second cloud-config part that formats them.
 *
 * <p>Locally a named volume is formatted on the host ({@code mkfs.ext4} on a file) before the VM
 * ever sees it; a blank DataVolume is raw zeros. So a {@code bootcmd} formats each volume disk the
 * seed mounts, and only when it holds no file system at all ({@code blkid} finds no signature): it can
 * never wipe data, and runs before cloud-init's {@code mounts} module on every boot. It is a part of
 * its own, in cloud-init's MIME multipart form, so the seed's own part stays byte for byte what
 * {@code up} writes (the round-trip test compares it).
 */
final class CloudInitUserData {

    /** Cannot appear in a part: it is checked, and cloud-config never holds it. */
    static final String BOUNDARY = "==qemu-compose-kubevirt==";

    private CloudInitUserData() {
    }

    static String of(String seedUserData, List<GuestMounts.VolumeDisk> blankVolumes) {
        if (blankVolumes.isEmpty()) {
            return seedUserData;
        }
        StringBuilder format = new StringBuilder("#cloud-config\nbootcmd:\n");
        for (GuestMounts.VolumeDisk disk : blankVolumes) {
            String device = ShellWords.quote(disk.devicePath());
            String script = "if [ -b " + device + " ] && ! blkid " + device + " >/dev/null 2>&1; then mkfs.ext4 -q "
                    + device + "; fi";
            format.append("  - [sh, -c, '").append(script.replace("'", "''")).append("']\n");
        }
        return multipart(List.of(seedUserData, format.toString()));
    }

    private static String multipart(List<String> cloudConfigs) {
        StringBuilder out = new StringBuilder();
        out.append("Content-Type: multipart/mixed; boundary=\"").append(BOUNDARY).append("\"\n");
        out.append("MIME-Version: 1.0\n\n");
        for (String part : cloudConfigs) {
            if (part.contains(BOUNDARY)) {
                throw new IllegalStateException("a cloud-config part holds the MIME boundary " + BOUNDARY);
            }
            out.append("--").append(BOUNDARY).append('\n');
            out.append("Content-Type: text/cloud-config; charset=\"utf-8\"\n");
            out.append("MIME-Version: 1.0\n\n");
            // the line break before a boundary belongs to the boundary: this one keeps the part's own last one
            out.append(part).append('\n');
        }
        out.append("--").append(BOUNDARY).append("--\n");
        return out.toString();
    }
}
