package io.qemucompose.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The application version, stamped into a resource at build time by Maven filtering. */
public record VersionInfo(String version) {

    public static VersionInfo current() {
        try (InputStream in = VersionInfo.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return new VersionInfo("unknown");
            }
            var properties = new Properties();
            properties.load(in);
            return new VersionInfo(properties.getProperty("version", "unknown"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String oneLine() {
        return "qemu-compose version " + version;
    }
}
