package io.qemucompose.driver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs a host tool to completion and captures its output. Both pipes are drained on their own
 * virtual threads so a chatty tool never blocks on a full pipe.
 *
 * @param tool          program name as looked up on PATH
 * @param debianPackage the package that provides it, for {@link DependencyMissingException}
 */
public record ExternalCommand(String tool, String debianPackage) {

    /** What the tool did. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public boolean succeeded() {
            return exitCode == 0;
        }

        /** stderr (or stdout when stderr is empty), trimmed to one line-ish message for errors. */
        public String diagnostic() {
            String text = stderr.isBlank() ? stdout : stderr;
            return text.strip().replace('\n', ' ');
        }
    }

    public Result run(List<String> arguments, Duration timeout) {
        return run(arguments, timeout, null);
    }

    /** @param stdin written to the tool's standard input, then closed ({@code null}: /dev/null) */
    public Result run(List<String> arguments, Duration timeout, String stdin) {
        List<String> command = new java.util.ArrayList<>();
        command.add(tool);
        command.addAll(arguments);
        Process process;
        try {
            var builder = new ProcessBuilder(command);
            if (stdin == null) {
                builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            process = builder.start();
            if (stdin != null) {
                try (var in = process.getOutputStream()) {
                    in.write(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            if (!onPath(tool)) {
                throw new DependencyMissingException(tool, debianPackage);
            }
            throw new UncheckedIOException("cannot run " + tool + ": " + e.getMessage(), e);
        }
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(tool + " did not finish within " + timeout.toSeconds() + " s: "
                        + String.join(" ", command));
            }
            return new Result(List.copyOf(command), process.exitValue(), out.get(), err.get());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + tool, e);
        } catch (ExecutionException e) {
            throw new UncheckedIOException("cannot read the output of " + tool, (IOException) e.getCause());
        }
    }

    /** Whether {@code program} is an executable on PATH (or an absolute path to one). */
    public static boolean onPath(String program) {
        if (program.contains("/")) {
            return java.nio.file.Files.isExecutable(java.nio.file.Path.of(program));
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (stream) {
                result.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }
}
