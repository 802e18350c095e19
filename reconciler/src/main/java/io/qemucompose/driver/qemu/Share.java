package io.qemucompose.driver.qemu;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A host folder exported to the guest over virtio-9p.
 *
 * @param securityModel QEMU's {@code security_model}: {@code passthrough}, {@code mapped-xattr},
 *                      {@code mapped-file} or {@code none}
 * @param readOnly      enforced by QEMU itself ({@code readonly=on}), not by the guest's mount options
 */
public record Share(Path hostPath, String mountTag, String securityModel, boolean readOnly) {

    /** The 9p mount tag travels in a 16-bit length field but the Linux driver reads at most 31 bytes. */
    public static final int MAX_TAG_LENGTH = 31;

    public Share {
        Objects.requireNonNull(hostPath, "hostPath");
        Objects.requireNonNull(mountTag, "mountTag");
        Objects.requireNonNull(securityModel, "securityModel");
        if (mountTag.isEmpty() || mountTag.length() > MAX_TAG_LENGTH || !mountTag.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("9p mount tag '" + mountTag + "' must be 1-" + MAX_TAG_LENGTH
                    + " characters of letters, digits, '.', '_' or '-'");
        }
        switch (securityModel) {
            case "passthrough", "mapped-xattr", "mapped-file", "none" -> { }
            default -> throw new IllegalArgumentException("9p security model '" + securityModel
                    + "' is not one of passthrough, mapped-xattr, mapped-file, none");
        }
    }
}
