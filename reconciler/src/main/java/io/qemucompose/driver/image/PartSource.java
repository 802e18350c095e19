package io.qemucompose.driver.image;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

import io.qemucompose.state.AtomicFiles;

/**
 * Where the bytes of a {@code .part} download came from: the URL and the validators the server
 * sent with them. Only a strong ETag can be used in {@code If-Range} (RFC 9110 13.1.5); a weak one
 * falls back to {@code Last-Modified}, and without either the part cannot be resumed safely.
 */
record PartSource(String url, Optional<String> etag, Optional<String> lastModified) {

    private static final long MAX_BYTES = 64 * 1024;

    static PartSource of(URI url, HttpHeaders headers) {
        return new PartSource(url.toString(), headers.firstValue("ETag"), headers.firstValue("Last-Modified"));
    }

    Optional<String> validator() {
        return etag.filter(e -> !e.startsWith("W/")).or(() -> lastModified);
    }

    static Optional<PartSource> read(Path file) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > MAX_BYTES) {
                return Optional.empty();
            }
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            String url = p.getProperty("url");
            return url == null ? Optional.empty()
                    : Optional.of(new PartSource(url, Optional.ofNullable(p.getProperty("etag")),
                            Optional.ofNullable(p.getProperty("last-modified"))));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty(); // an unreadable record: the part is started over
        }
    }

    void write(Path file) {
        Properties p = new Properties();
        p.setProperty("url", url);
        etag.ifPresent(e -> p.setProperty("etag", e));
        lastModified.ifPresent(m -> p.setProperty("last-modified", m));
        StringWriter text = new StringWriter();
        try {
            p.store(text, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
