package io.qemucompose.it.world;

import io.qemucompose.testkit.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The test JVM's classpath copied where an unprivileged user can read it: the tests run as root with
 * their jars under {@code /root} (0700), and a process of another user started from them needs its
 * own copies (jars as files, class folders as trees, all world-readable).
 */
public final class ReadableClasspath {

    private ReadableClasspath() {}

    /** Copies the entries whose path {@code wanted} accepts into {@code into}; returns the copies, in order. */
    public static List<String> copy(Path into, Predicate<String> wanted) throws IOException {
        Files.createDirectories(into);
        List<String> out = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(":")) {
            Path source = Path.of(entry);
            if (!wanted.test(source.toString()) || !Files.exists(source)) {
                continue;
            }
            Path target = into.resolve((i++) + "-" + source.getFileName());
            if (Files.isRegularFile(source)) {
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Commands.run(List.of("cp", "-r", source.toString(), target.toString())).orThrow();
            }
            out.add(target.toString());
        }
        Commands.run(List.of("chmod", "-R", "a+rX", into.toString())).orThrow();
        return out;
    }
}
