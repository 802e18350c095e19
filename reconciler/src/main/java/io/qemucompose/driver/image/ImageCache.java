package io.qemucompose.driver.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.qemucompose.state.AtomicFiles;

/**
 * The per-user cache of downloaded base images, {@code $XDG_DATA_HOME/qemu-compose/images}
 * (default {@code ~/.local/share/qemu-compose/images}). A remote image is stored as
 * {@code <12 hex of sha256(url)>-<last URL segment>}: readable in {@code image ls}, and two mirrors
 * whose URLs end in the same name do not share one file. An unfinished download is
 * {@code <name>.part} next to it; hidden sidecars beside a file record what the cache knows about
 * it ({@code .<name>.sha256}: a verified digest, {@code .<name>.part.source}: where a part came from).
 *
 * <p>Entries of the earlier layout (the bare last segment) are still read, so the overlays built on
 * them keep their backing file: the first URL that uses such a file claims it
 * ({@code .<name>.url}), and a different URL with the same last segment then downloads its own.
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
                if (!Files.isRegularFile(path)) {
                    Optional<Path> legacy = legacyFor(remote.url());
                    if (legacy.isPresent()) {
                        yield new ResolvedImage(source, legacy.get(), true, true);
                    }
                }
                yield new ResolvedImage(source, path, true, Files.isRegularFile(path));
            }
            case ImageSource.Local local -> new ResolvedImage(source, local.path(), false, Files.isRegularFile(local.path()));
        };
    }

    /**
     * The cache file name for a URL: a hash of the whole URL and its last path segment, or a
     * hash-based name alone when the segment is unusable as a file name.
     */
    public static String fileNameFor(URI url) {
        return readableName(url)
                .map(last -> sha256Prefix(url.toString()) + "-" + last)
                .orElseGet(() -> "image-" + sha256Prefix(url.toString()) + ".img");
    }

    /** The URL's last path segment when it is usable as a file name: the name a {@code SHA256SUMS} file lists. */
    static Optional<String> readableName(URI url) {
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        String last = URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
        return SAFE_FILE.matcher(last).matches() && !last.endsWith(PART_SUFFIX) ? Optional.of(last) : Optional.empty();
    }

    /** A file of the earlier bare-name layout this URL may use: present, and unclaimed or claimed by this URL. */
    private Optional<Path> legacyFor(URI url) {
        return readableName(url).map(dir::resolve)
                .filter(Files::isRegularFile)
                .filter(legacy -> {
                    Path claim = sidecar(legacy, ".url");
                    if (!Files.isRegularFile(claim)) {
                        return true;
                    }
                    try {
                        return Files.readString(claim, StandardCharsets.UTF_8).strip().equals(url.toString());
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    /**
     * Records that {@code path}, a file of the earlier bare-name layout, holds {@code url}'s image,
     * so that another URL ending in the same name is not served it. Does nothing for current names.
     */
    void claimLegacy(Path path, URI url) {
        if (!path.getFileName().toString().equals(readableName(url).orElse(null))) {
            return;
        }
        Path claim = sidecar(path, ".url");
        if (!Files.exists(claim, LinkOption.NOFOLLOW_LINKS)) {
            AtomicFiles.write(claim, (url + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A hidden file beside {@code file} ({@code .<name><suffix>}), which {@link #list} does not show. */
    static Path sidecar(Path file, String suffix) {
        return file.resolveSibling("." + file.getFileName() + suffix);
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
            for (String suffix : List.of(".sha256", ".url", PART_SUFFIX + ".source")) {
                Files.deleteIfExists(sidecar(target, suffix));
            }
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
