package io.qemucompose.cli.command;

import java.util.Locale;

/** Sizes as people read them, in the seed's two styles. */
final class HumanSizes {

    private static final String[] DECIMAL_UNITS = {"B", "KB", "MB", "GB", "TB"};

    private HumanSizes() {
    }

    /** {@code image ls}'s style: one decimal, powers of 1024 with short names ("450.2 MB"), as the seed shows. */
    static String of(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < DECIMAL_UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, DECIMAL_UNITS[unit]);
    }

    /** {@code ps}'s DISK column: "8G", "2.5G", "512M" (binary units, as qemu-img sizes are given). */
    static String compact(long bytes) {
        long gib = 1L << 30;
        long mib = 1L << 20;
        if (bytes >= gib) {
            return bytes % gib == 0 ? bytes / gib + "G" : String.format(Locale.ROOT, "%.1fG", bytes / (double) gib);
        }
        if (bytes >= mib) {
            return bytes % mib == 0 ? bytes / mib + "M" : String.format(Locale.ROOT, "%.1fM", bytes / (double) mib);
        }
        return bytes + "B";
    }
}
