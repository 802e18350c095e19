package io.qemucompose.spec;

import java.net.URI;
import java.util.Optional;

/**
 * Where a VM's base image comes from: an http(s) URL or a local file (then a {@code file:} URI,
 * absolute), and optionally how to verify it ({@code image_checksum}). A short name such as
 * {@code freebsd:14.1} is a {@link Release} of cross-platform-actions' builders: its location is the
 * short name itself (an opaque URI) until {@code ReleaseImages} resolves it to the download URL.
 */
public record ImageRef(URI location, Optional<ImageChecksum> checksum, Optional<Release> release) {

    public ImageRef(URI location, Optional<ImageChecksum> checksum) {
        this(location, checksum, Optional.empty());
    }

    public boolean isLocal() {
        return "file".equals(location.getScheme());
    }

    /** A short name still to resolve (no download URL yet). */
    public boolean unresolved() {
        return release.isPresent() && location.equals(release.get().shortName());
    }

    /** This release at its resolved download URL. */
    public ImageRef resolvedTo(URI url) {
        return new ImageRef(url, checksum, release);
    }

    /** {@code <os>:<version>}: the image {@code <os>-<version>-<arch>.qcow2} of {@code cross-platform-actions/<os>-builder}. */
    public record Release(GuestOs os, String version) {
        public URI shortName() {
            return URI.create(os.id() + ":" + version);
        }

        public String fileName(GuestArch arch) {
            return os.id() + "-" + version + "-" + arch.imageName() + ".qcow2";
        }
    }

    /** {@code image_checksum: sha256:<64 hex>} or the URL of a SHA256SUMS file. */
    public sealed interface ImageChecksum {
        record Sha256(String hex) implements ImageChecksum {
            @Override
            public String toString() {
                return "sha256:" + hex;
            }
        }

        record SumsFile(URI url) implements ImageChecksum {
            @Override
            public String toString() {
                return url.toString();
            }
        }
    }
}
