package io.qemucompose.driver.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The per-user cache of downloaded base images, {@code $XDG_DATA_HOME/qemu-compose/images}
 * (default {@code ~/.local/share/qemu-compose/images}). A remote image is stored under the last
 * segment of its URL, like the seed's {@code image ls} shows; an unfinished download is
 * {@code <name>.part} next to it.
 */
public final class ImageCache {

    public static final String PART_SUFFIX = ".part";

    private static final Pattern SAFE_FILE = Pattern.compile("[A-Za-z0-9_+][A-Za-z0-9_.+~-]*");

    private final Path dir;

    public ImageCache(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** The user's cache, honouring {@code XDG_DATA_HOME}. */
    public static ImageCache forCurrentUser() {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path data = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "share");
        return new ImageCache(data.resolve("qemu-compose").resolve("images"));
    }

    public Path dir() {
        return dir;
    }

    /** Where an image reference lives on disk, whether it is there yet, and whether it is a cached download. */
    public record ResolvedImage(ImageSource source, Path path, boolean cached, boolean present) {
    }

    /** One file of the cache, as {@code image ls} lists it. */
    public record CachedImage(String name, long sizeBytes, Path path) {
    }

    public ResolvedImage resolve(String ref, Path baseDir) {
        return resolve(ImageSource.parse(ref, baseDir));
    }

    public ResolvedImage resolve(ImageSource source) {
        return switch (source) {
            case ImageSource.Remote remote -> {
                Path path = dir.resolve(fileNameFor(remote.url()));
                yield new ResolvedImage(source, path, true, Files.isRegularFile(path));
            }
            case ImageSource.Local local -> new ResolvedImage(source, local.path(), false, Files.isRegularFile(local.path()));
        };
    }

    /** The cache file name for a URL: its last path segment, or a stable hash-based name when that is unusable. */
    public static String fileNameFor(URI url) {
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        String last = URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
        if (SAFE_FILE.matcher(last).matches() && !last.endsWith(PART_SUFFIX)) {
            return last;
        }
        return "image-" + sha256Prefix(url.toString()) + ".img";
    }

    Path partFile(Path target) {
        return target.resolveSibling(target.getFileName() + PART_SUFFIX);
    }

    /** Finished images in the cache, by name (partial downloads and temp files excluded). */
    public List<CachedImage> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        return !name.startsWith(".") && !name.endsWith(PART_SUFFIX);
                    })
                    .map(p -> new CachedImage(p.getFileName().toString(), size(p), p))
                    .sorted(Comparator.comparing(CachedImage::name))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the image cache " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes a cached image and any partial download of it. The caller checks first that no
     * overlay still uses it ({@code image rm} refuses that).
     *
     * @return whether anything was removed
     */
    public boolean remove(String name) {
        if (!SAFE_FILE.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid image name '" + name + "'");
        }
        Path target = dir.resolve(name);
        try {
            boolean removed = Files.deleteIfExists(target);
            return Files.deleteIfExists(partFile(target)) || removed;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + target + ": " + e.getMessage(), e);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String sha256Prefix(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
