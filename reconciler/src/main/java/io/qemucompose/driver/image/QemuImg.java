package io.qemucompose.driver.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.qemucompose.driver.ExternalCommand;
import io.qemucompose.state.AtomicFiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The {@code qemu-img} tool: inspect images, create copy-on-write overlays, grow disks. */
public final class QemuImg {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ExternalCommand tool;
    private final Duration timeout;

    public QemuImg() {
        this(new ExternalCommand("qemu-img", "qemu-utils"), Duration.ofMinutes(2));
    }

    public QemuImg(ExternalCommand tool, Duration timeout) {
        this.tool = tool;
        this.timeout = timeout;
    }

    /**
     * Reads an image's format, sizes and backing file. Uses {@code --force-share} so that an
     * image a running QEMU holds locked can still be inspected (observe does this all the time).
     */
    public DiskImageInfo info(Path image) {
        ExternalCommand.Result r = tool.run(List.of("info", "--output=json", "--force-share", image.toString()), timeout);
        if (!r.succeeded()) {
            throw new QemuImgException("qemu-img info " + image + " failed: " + r.diagnostic());
        }
        JsonNode json = JSON.readTree(r.stdout());
        return new DiskImageInfo(
                json.path("format").asString(),
                json.path("virtual-size").asLong(),
                json.path("actual-size").asLong(),
                text(json, "full-backing-filename").or(() -> text(json, "backing-filename")),
                text(json, "backing-filename-format"));
    }

    /**
     * Creates {@code overlay} as a qcow2 copy-on-write layer over {@code base}. The size is the
     * requested one but never below the base's virtual size (a smaller request keeps the base's
     * size rather than failing, because a newer base image may simply be bigger than the disk.size
     * the user wrote). Created under a temporary name and renamed, so a crash never leaves a
     * half-made overlay that a later run would mistake for a finished one.
     *
     * @param baseFormat the base's format, or empty to detect it with {@link #info}
     * @return the new overlay's info
     */
    public DiskImageInfo createOverlay(Path base, Optional<String> baseFormat, Path overlay, Optional<Long> sizeBytes) {
        Path absoluteBase = base.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absoluteBase)) {
            throw new QemuImgException("base image not found: " + absoluteBase);
        }
        DiskImageInfo baseInfo = info(absoluteBase);
        if (baseInfo.backingFile().isPresent()) {
            // QEMU would open the backing file named inside a (downloaded) image: any host file
            // the user can read, e.g. ~/.ssh/id_ed25519, would become readable disk sectors in the guest
            throw new QemuImgException("base image " + absoluteBase + " has a backing file ("
                    + baseInfo.backingFile().get() + "); qemu-compose only uses self-contained base images: "
                    + "flatten it with `qemu-img convert -O qcow2 " + absoluteBase + " flat.qcow2`");
        }
        String format = baseFormat.orElse(baseInfo.format());
        long size = Math.max(sizeBytes.orElse(0L), baseInfo.virtualSize());
        Path dir = overlay.toAbsolutePath().getParent();
        Path temp = dir.resolve("." + overlay.getFileName() + ".creating");
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(temp);
            List<String> args = new ArrayList<>(List.of("create", "-q", "-f", "qcow2", "-F", format,
                    "-b", absoluteBase.toString(), temp.toString(), Long.toString(size)));
            ExternalCommand.Result r = tool.run(args, timeout);
            if (!r.succeeded()) {
                throw new QemuImgException("qemu-img create of overlay " + overlay + " on " + absoluteBase
                        + " failed: " + r.diagnostic());
            }
            AtomicFiles.moveIntoPlace(temp, overlay);
        } catch (IOException e) {
            throw new QemuImgException("cannot create overlay " + overlay + ": " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a leftover hidden temp file is replaced by the next attempt
            }
        }
        return info(overlay);
    }

    /** Grows {@code image} to {@code bytes}. Shrinking is refused: it would cut the guest's file system. */
    public void resize(Path image, long bytes) {
        DiskImageInfo current = info(image);
        if (bytes < current.virtualSize()) {
            throw new QemuImgException("refusing to shrink " + image + " from " + current.virtualSize() + " to "
                    + bytes + " bytes");
        }
        if (bytes == current.virtualSize()) {
            return;
        }
        ExternalCommand.Result r = tool.run(List.of("resize", "-q", "-f", current.format(), image.toString(),
                Long.toString(bytes)), timeout);
        if (!r.succeeded()) {
            throw new QemuImgException("qemu-img resize " + image + " failed: " + r.diagnostic());
        }
    }

    /** One qcow2 internal snapshot: its tag, the RAM state it holds (0: disk only), when it was taken. */
    public record InternalSnapshot(String name, long vmStateBytes, java.time.Instant created, Duration vmClock) {
    }

    /** The internal snapshots of a qcow2 image (read with {@code --force-share}: a running VM holds its lock). */
    public List<InternalSnapshot> snapshots(Path image) {
        ExternalCommand.Result r = tool.run(List.of("info", "--output=json", "--force-share", image.toString()), timeout);
        if (!r.succeeded()) {
            throw new QemuImgException("qemu-img info " + image + " failed: " + r.diagnostic());
        }
        List<InternalSnapshot> out = new ArrayList<>();
        for (JsonNode s : JSON.readTree(r.stdout()).path("snapshots")) {
            out.add(new InternalSnapshot(s.path("name").asString(), s.path("vm-state-size").asLong(),
                    java.time.Instant.ofEpochSecond(s.path("date-sec").asLong(), s.path("date-nsec").asLong()),
                    Duration.ofSeconds(s.path("vm-clock-sec").asLong(), s.path("vm-clock-nsec").asLong())));
        }
        return out;
    }

    /** Deletes the internal snapshot {@code name} of an image no QEMU has open. */
    public void deleteSnapshot(Path image, String name) {
        ExternalCommand.Result r = tool.run(List.of("snapshot", "-d", name, image.toString()), timeout);
        if (!r.succeeded()) {
            throw new QemuImgException("qemu-img snapshot -d " + name + " " + image + " failed: " + r.diagnostic());
        }
    }

    private static Optional<String> text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node.asString());
    }
}
