package io.qemucompose.spec;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size in bytes, as written in compose files: {@code 10G}, {@code 512M}, {@code 20GiB},
 * {@code 1.5G}, or a plain number of bytes.
 *
 * <p>Units are binary whatever their spelling, as qemu-img reads them: {@code K}, {@code KB},
 * {@code KiB} all mean 1024 bytes; {@code G}, {@code GB}, {@code GiB} all mean 2^30. Disk sizes
 * are handed to qemu-img, so a user writing {@code 10G} must get what {@code qemu-img create 10G}
 * gives, not 10^9 bytes. Case-insensitive. {@link #toString()} prints the largest unit that
 * divides exactly ({@code 10G}, {@code 1536M}), so a parsed size prints back as the same value.
 */
public record ByteSize(long bytes) implements Comparable<ByteSize> {
    private static final Pattern FORMAT =
            Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)(i?b)?", Pattern.CASE_INSENSITIVE);
    private static final String UNITS = "KMGTP";

    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size cannot be negative: " + bytes);
        }
    }

    public static ByteSize ofMebibytes(long mebibytes) {
        return new ByteSize(Math.multiplyExact(mebibytes, 1L << 20));
    }

    public static ByteSize ofGibibytes(long gibibytes) {
        return new ByteSize(Math.multiplyExact(gibibytes, 1L << 30));
    }

    /**
     * Parses {@code 10G}, {@code 512M}, {@code 20GiB}, {@code 1.5G}, {@code 4096} (bytes).
     *
     * @throws IllegalArgumentException with a message fit for users when the text is no size,
     *     is fractional in bytes, or overflows
     */
    public static ByteSize parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.strip());
        if (!m.matches() || (m.group(2).isEmpty() && m.group(3) != null && m.group(3).length() == 2)) {
            throw new IllegalArgumentException("found '" + text
                    + "', expected a size such as 512M, 10G or 20GiB (units K, M, G, T, P are powers of 1024)");
        }
        String unit = m.group(2).toUpperCase(Locale.ROOT);
        int exponent = unit.isEmpty() ? 0 : UNITS.indexOf(unit) + 1;
        java.math.BigDecimal value = new java.math.BigDecimal(m.group(1))
                .multiply(java.math.BigDecimal.valueOf(2).pow(10 * exponent));
        try {
            return new ByteSize(value.toBigIntegerExact().longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("found '" + text + "', "
                    + (value.signum() != 0 && value.stripTrailingZeros().scale() > 0
                            ? "which is not a whole number of bytes"
                            : "which is too large"));
        }
    }

    public long mebibytes() {
        return bytes >> 20;
    }

    @Override
    public String toString() {
        if (bytes == 0) {
            return "0";
        }
        for (int exponent = UNITS.length(); exponent >= 1; exponent--) {
            long unit = 1L << (10 * exponent);
            if (bytes % unit == 0) {
                return (bytes / unit) + String.valueOf(UNITS.charAt(exponent - 1));
            }
        }
        return Long.toString(bytes);
    }

    @Override
    public int compareTo(ByteSize other) {
        return Long.compare(bytes, other.bytes);
    }
}
