package io.qemucompose.desired;

import io.qemucompose.spec.ByteSize;

/**
 * A field's value, typed: a plan compares and renders values, it never parses them back from
 * what it printed. {@link #encode()} is how {@code state.json} records a value; {@link #decode}
 * reads a recorded string back as a value of the same type as the one the file asks for.
 */
public sealed interface Value {

    /** As people read it in a plan. */
    String display();

    /** The value in the JSON plan document: a string or a number. */
    Object json();

    /** The stable string recorded in state.json. */
    String encode();

    record Text(String text) implements Value {
        public Text {
            java.util.Objects.requireNonNull(text);
        }

        public String display() { return text; }
        public Object json() { return text; }
        public String encode() { return text; }
    }

    record Count(long count) implements Value {
        public String display() { return Long.toString(count); }
        public Object json() { return count; }
        public String encode() { return Long.toString(count); }
    }

    /** A size in bytes (memory, disks, volumes). */
    record Size(long bytes) implements Value {
        private static final long MIB = 1L << 20;
        private static final long GIB = 1L << 30;

        public static Size of(ByteSize size) {
            return new Size(size.bytes());
        }

        public static Size mebibytes(long mib) {
            return new Size(Math.multiplyExact(mib, MIB));
        }

        public String display() {
            if (bytes >= GIB && bytes % GIB == 0) {
                return bytes / GIB + " GiB";
            }
            if (bytes >= MIB && bytes % MIB == 0) {
                return bytes / MIB + " MiB";
            }
            return new ByteSize(bytes).toString();
        }

        public Object json() { return bytes; }

        /** ByteSize's own form ({@code 10G}, {@code 1536M}): it parses back exactly. */
        public String encode() { return new ByteSize(bytes).toString(); }
    }

    static Value text(String s) {
        return new Text(s);
    }

    /**
     * A recorded string as a value of {@code like}'s type; a record that does not parse as that
     * type (written by an older version, or a field whose type changed) stays text, so it simply
     * differs from the desired value instead of failing the plan.
     */
    static Value decode(String recorded, Value like) {
        if (recorded == null) {
            return null;
        }
        try {
            return switch (like) {
                case Size s -> new Size(ByteSize.parse(recorded).bytes());
                case Count c -> new Count(Long.parseLong(recorded.strip()));
                case Text t -> new Text(recorded);
            };
        } catch (IllegalArgumentException e) {
            return new Text(recorded);
        }
    }
}
