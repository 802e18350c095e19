package io.qemucompose.driver.cloudinit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.qemucompose.driver.ExternalCommand;
import io.qemucompose.state.AtomicFiles;

/**
 * Writes a NoCloud seed ISO (volume label {@code cidata}) with genisoimage. Built in a hidden
 * scratch folder next to the target and renamed into place, so a guest never boots a half-written seed.
 */
public final class SeedImage {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");


    private final ExternalCommand genisoimage;

    public SeedImage() {
        this(new ExternalCommand("genisoimage", "genisoimage"));
    }

    public SeedImage(ExternalCommand genisoimage) {
        this.genisoimage = genisoimage;
    }

    public void write(Path iso, RenderedSeed seed) {
        Path dir = iso.toAbsolutePath().getParent();
        Path scratch = dir.resolve("." + iso.getFileName() + ".build");
        try {
            deleteTree(scratch);
            // the seed holds the password hash and the authorized keys: readable by us only
            Files.createDirectories(dir);
            Files.createDirectory(scratch, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            List<String> files = new ArrayList<>();
            files.add(put(scratch, "user-data", seed.userData()));
            files.add(put(scratch, "meta-data", seed.metaData()));
            if (seed.networkConfig().isPresent()) {
                files.add(put(scratch, "network-config", seed.networkConfig().get()));
            }
            Path built = scratch.resolve("seed.iso");
            List<String> args = new ArrayList<>(List.of("-quiet", "-input-charset", "utf-8", "-output", built.toString(),
                    "-volid", "cidata", "-joliet", "-rock"));
            args.addAll(files);
            ExternalCommand.Result r = genisoimage.run(args, Duration.ofSeconds(60));
            if (!r.succeeded()) {
                throw new SeedImageException("genisoimage failed writing " + iso + ": " + r.diagnostic());
            }
            Files.setPosixFilePermissions(built, OWNER_ONLY);
            AtomicFiles.moveIntoPlace(built, iso);
        } catch (IOException e) {
            throw new SeedImageException("cannot write cloud-init seed " + iso + ": " + e.getMessage());
        } finally {
            try {
                deleteTree(scratch);
            } catch (IOException ignored) {
                // a leftover hidden scratch folder is cleared by the next write
            }
        }
    }

    private static String put(Path dir, String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file.toString();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
