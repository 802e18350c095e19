package io.qemucompose.convert.kubevirt;

import io.qemucompose.spec.ByteSize;

/**
 * Kubernetes quantities in binary units. qemu-compose's {@code 8G} and {@code memory: 2048} are
 * GiB and MiB (as QEMU reads them); Kubernetes' {@code G} would be 10^9, so only {@code Ki/Mi/Gi/Ti} are written.
 */
final class Quantities {
    private static final String[] UNITS = {"Ki", "Mi", "Gi", "Ti", "Pi"};

    private Quantities() {
    }

    static String of(ByteSize size) {
        long bytes = size.bytes();
        if (bytes == 0) {
            return "0";
        }
        for (int exponent = UNITS.length; exponent >= 1; exponent--) {
            long unit = 1L << (10 * exponent);
            if (bytes % unit == 0) {
                return (bytes / unit) + UNITS[exponent - 1];
            }
        }
        return Long.toString(bytes);
    }

    static String mebibytes(long mebibytes) {
        return of(ByteSize.ofMebibytes(mebibytes));
    }
}
