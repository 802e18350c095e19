package io.qemucompose.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The training run for the JDK AOT cache, started by ./qemu-compose right after a build with
 * {@code -XX:AOTCacheOutput}. It runs the commands typed most often, in-process and with output
 * discarded, so the classes they load (picocli, SnakeYAML, Jackson, our model) end up in the cache.
 * It must run on exactly the classpath of the one-shot commands, or the JVM ignores the cache.
 */
public final class AotTraining {

    private AotTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path project = Files.createTempDirectory("qemu-compose-aot-training");
        try {
            Path composeFile = project.resolve("qemu-compose.yaml");
            Files.writeString(composeFile, SAMPLE);
            var environment = new CommandEnvironment(discard(), discard(), Map.of("PATH", "/usr/bin:/bin"), project, false);
            for (List<String> commandLine : List.of(
                    List.of("--version"),
                    List.of("version"),
                    List.of("--help"),
                    List.of("config", "--help"),
                    List.of("-f", composeFile.toString(), "config", "-q"),
                    List.of("-f", composeFile.toString(), "config"),
                    List.of("-f", composeFile.toString(), "config", "--format", "json"),
                    List.of("-f", composeFile.toString(), "config", "--vms"),
                    List.of("no-such-command"))) {
                QemuComposeCli.run(environment, commandLine.toArray(String[]::new));
            }
        } finally {
            try (var files = Files.walk(project)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> {
                    try {
                        Files.deleteIfExists(path);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }

    private static PrintWriter discard() {
        return new PrintWriter(Writer.nullWriter());
    }

    private static final String SAMPLE = """
            networks:
              backend:
                driver: bridge
                subnet: 10.89.0.0/24
            volumes:
              data:
                size: 1G
            vms:
              web:
                image: https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2
                cpu: 2
                memory: 1024
                disk:
                  size: 10G
                networks: [backend]
                volumes:
                  - data:/var/lib/data
                  - ./site:/srv/site:ro
                ports:
                  - "8080:80"
                environment:
                  GREETING: hello
              db:
                image: https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2
                memory: 2G
                depends_on:
                  web:
                    condition: service_started
            """;
}
