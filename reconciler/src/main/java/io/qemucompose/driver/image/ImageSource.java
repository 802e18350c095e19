package io.qemucompose.driver.image;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a compose file's {@code image:} points. Remote images are downloaded into the
 * {@link ImageCache}; local paths and {@code file://} URLs are used in place (not copied), as
 * docker compose users expect of a path — so moving such a file breaks the overlays built on it.
 */
public sealed interface ImageSource {

    /** The text the user wrote. */
    String ref();

    record Remote(String ref, URI url) implements ImageSource {
    }

    record Local(String ref, Path path) implements ImageSource {
    }

    /**
     * @param baseDir the compose file's folder; relative paths are resolved against it
     */
    static ImageSource parse(String ref, Path baseDir) {
        if (ref == null || ref.isBlank()) {
            throw new ImagePullException("empty image reference");
        }
        String lower = ref.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            try {
                URI url = new URI(ref);
                if (url.getHost() == null) {
                    throw new ImagePullException("image URL has no host: " + ref);
                }
                return new Remote(ref, url);
            } catch (URISyntaxException e) {
                throw new ImagePullException("invalid image URL " + ref + ": " + e.getReason());
            }
        }
        if (lower.startsWith("file:")) {
            try {
                return new Local(ref, Path.of(new URI(ref)));
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new ImagePullException("invalid file URL " + ref + ": " + e.getMessage());
            }
        }
        if (lower.matches("^[a-z][a-z0-9+.-]*://.*")) {
            throw new ImagePullException("unsupported image scheme in " + ref + " (use http(s)://, file:// or a path)");
        }
        String expanded = ref.startsWith("~/") ? System.getProperty("user.home") + ref.substring(1) : ref;
        return new Local(ref, baseDir.resolve(expanded).toAbsolutePath().normalize());
    }
}
