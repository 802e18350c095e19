package io.qemucompose.driver.image;

import java.net.URI;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An expected image digest: given inline ({@code sha256:<hex>}) or looked up in a SHA256SUMS file. */
public sealed interface Checksum {

    record Sha256(String hex) implements Checksum {
        public Sha256 {
            hex = hex.toLowerCase(Locale.ROOT);
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new ImagePullException("invalid sha256 checksum '" + hex + "': expected 64 hex digits");
            }
        }

        @Override
        public String toString() {
            return "sha256:" + hex;
        }
    }

    /** A checksum list such as Debian's SHA256SUMS or Fedora's CHECKSUM, looked up by file name. */
    record SumsFile(URI url) implements Checksum {
    }

    /** {@code sha256:<hex>}, or the http(s)/file URL of a sums file. */
    static Checksum parse(String text) {
        String t = text.strip();
        if (t.regionMatches(true, 0, "sha256:", 0, 7)) {
            return new Sha256(t.substring(7));
        }
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("file:")) {
            return new SumsFile(URI.create(t));
        }
        throw new ImagePullException("unsupported image checksum '" + text + "': use sha256:<hex> or a SHA256SUMS URL");
    }

    Pattern GNU_LINE = Pattern.compile("^([0-9a-fA-F]{64})\\s+\\*?(.+)$");
    Pattern BSD_LINE = Pattern.compile("^SHA256 \\((.+)\\) = ([0-9a-fA-F]{64})$");

    /** Finds {@code fileName}'s digest in a sums file, GNU ({@code hex  name}) or BSD ({@code SHA256 (name) = hex}) style. */
    static Optional<Sha256> findInSums(String sums, String fileName) {
        for (String raw : sums.split("\\R")) {
            String line = raw.strip();
            Matcher gnu = GNU_LINE.matcher(line);
            if (gnu.matches() && baseName(gnu.group(2)).equals(fileName)) {
                return Optional.of(new Sha256(gnu.group(1)));
            }
            Matcher bsd = BSD_LINE.matcher(line);
            if (bsd.matches() && baseName(bsd.group(1)).equals(fileName)) {
                return Optional.of(new Sha256(bsd.group(2)));
            }
        }
        return Optional.empty();
    }

    private static String baseName(String path) {
        String p = path.strip();
        return p.substring(p.lastIndexOf('/') + 1);
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
