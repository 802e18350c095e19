package io.qemucompose.spec;

import java.net.URI;
import java.util.Optional;

/**
 * Where a VM's base image comes from: an http(s) URL or a local file (then a {@code file:} URI,
 * absolute), and optionally how to verify it ({@code image_checksum}).
 */
public record ImageRef(URI location, Optional<ImageChecksum> checksum) {

    public boolean isLocal() {
        return "file".equals(location.getScheme());
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
