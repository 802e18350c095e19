package io.qemucompose.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A cloud-init NoCloud seed written with genisoimage, for tests that must not depend on the
 * product's own seed writer (the smoke test of the guest image).
 */
public final class SeedIso {

    private SeedIso() {
    }

    /** Writes {@code iso} (volume id "cidata") holding meta-data, user-data and, if not null, network-config. */
    public static Path write(Path iso, String metaData, String userData, String networkConfig) {
        try {
            Path dir = Files.createTempDirectory(iso.toAbsolutePath().getParent(), "seed-");
            try {
                Files.writeString(dir.resolve("meta-data"), metaData);
                Files.writeString(dir.resolve("user-data"), userData);
                var command = new java.util.ArrayList<>(List.of("genisoimage", "-quiet", "-output", iso.toString(),
                        "-volid", "cidata", "-joliet", "-rock", "user-data", "meta-data"));
                if (networkConfig != null) {
                    Files.writeString(dir.resolve("network-config"), networkConfig);
                    command.add("network-config");
                }
                Commands.run(command, java.time.Duration.ofMinutes(1), dir).orThrow();
                return iso;
            } finally {
                TempFiles.deleteTree(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write seed " + iso, e);
        }
    }

    public static Path write(Path iso, String metaData, String userData) {
        return write(iso, metaData, userData, null);
    }
}
