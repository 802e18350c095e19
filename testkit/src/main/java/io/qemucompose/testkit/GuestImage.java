package io.qemucompose.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The test guest image: Debian 12 with cloud-init (NoCloud), openssh-server, sudo, 9p and
 * qemu-guest-agent, booting by itself from SeaBIOS. Built by {@code scripts/build-guest-image}
 * (~90 s the first time, cached by recipe hash; concurrent builds wait on each other), so the
 * script stays the only place that knows the recipe and the cache layout.
 */
public final class GuestImage {

    private static final Duration BUILD_DEADLINE = Duration.ofMinutes(20);
    private static Path cached;
    private static Path cachedArm64;

    private GuestImage() {
    }

    /** The cached base image (never write to it: boot an {@link #overlay}). */
    public static synchronized Path path() {
        if (cached == null || !Files.exists(cached)) {
            cached = build("build-guest-image", BUILD_DEADLINE);
        }
        return cached;
    }

    /**
     * The arm64 twin of {@link #path()}: Debian 12 arm64 with the same packages, booting from UEFI
     * (AAVMF) + GRUB on QEMU's {@code virt} machine. Built by {@code scripts/build-guest-image-arm64}
     * through qemu-user (about 10 minutes the first time, cached by recipe hash).
     */
    public static synchronized Path arm64Path() {
        if (cachedArm64 == null || !Files.exists(cachedArm64)) {
            cachedArm64 = build("build-guest-image-arm64", BUILD_DEADLINE.multipliedBy(2));
        }
        return cachedArm64;
    }

    private static Path build(String scriptName, Duration deadline) {
        Path script = repoRoot().resolve("scripts").resolve(scriptName);
        var result = Commands.run(List.of(script.toString()), deadline, repoRoot()).orThrow();
        List<String> lines = result.stdout().strip().lines().toList();
        Path image = Path.of(lines.getLast());
        if (!Files.isRegularFile(image)) {
            throw new IllegalStateException(scriptName + " printed " + image + ", which does not exist");
        }
        return image;
    }

    /** A copy-on-write qcow2 overlay {@code dir/disk.qcow2} over the base image. */
    public static Path overlay(Path dir) {
        return overlay(dir, "disk.qcow2", null);
    }

    /** A qcow2 overlay named {@code fileName} in {@code dir}, optionally grown to {@code size} (e.g. "4G"). */
    public static Path overlay(Path dir, String fileName, String size) {
        return overlayOf(path(), dir, fileName, size);
    }

    /** A qcow2 overlay named {@code fileName} in {@code dir} over {@code base}, optionally grown to {@code size}. */
    public static Path overlayOf(Path base, Path dir, String fileName, String size) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path overlay = dir.resolve(fileName);
        var command = new java.util.ArrayList<>(List.of("qemu-img", "create", "-q", "-f", "qcow2",
                "-b", base.toString(), "-F", "qcow2", overlay.toString()));
        if (size != null) {
            command.add(size);
        }
        Commands.run(command).orThrow();
        return overlay;
    }

    /** The repository root: the nearest directory upwards with a pom.xml and scripts/build-guest-image. */
    public static Path repoRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.exists(d.resolve("pom.xml")) && Files.exists(d.resolve("scripts/build-guest-image"))) {
                return d;
            }
        }
        throw new IllegalStateException("no qemu-compose repository root above " + dir);
    }
}
