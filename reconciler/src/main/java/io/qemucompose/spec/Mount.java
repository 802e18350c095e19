package io.qemucompose.spec;

import java.nio.file.Path;
import java.util.Optional;

/** One entry of a VM's {@code volumes:} list. {@code target} is always an absolute guest path. */
public sealed interface Mount {
    String target();

    boolean readOnly();

    /** A top-level named volume, attached as a virtio disk; always mounted by cloud-init. */
    record NamedVolumeMount(String volume, String target, boolean readOnly) implements Mount {}

    /**
     * A host folder or file shared over 9p. {@code source} is absolute (relative paths in the
     * file are resolved against the compose file's folder).
     */
    record BindMount(Path source, String target, boolean readOnly, boolean automount,
            Optional<String> mountOptions) implements Mount {}
}
