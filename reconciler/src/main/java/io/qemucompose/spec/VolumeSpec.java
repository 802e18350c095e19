package io.qemucompose.spec;

/** A top-level named volume: a qcow2 image formatted ext4. {@code size} defaults to 10G. */
public record VolumeSpec(String name, ByteSize size) {
    public static final ByteSize DEFAULT_SIZE = ByteSize.ofGibibytes(10);
}
