package io.qemucompose.cli.command;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One log being shown by {@code logs}: its history and, when following, what is appended after a
 * remembered offset. A file that shrank was rotated or recreated (a new boot): reading restarts at 0.
 */
final class LogFile {

    private final Path path;
    private final String prefix;
    private long offset;
    /** An unfinished last line (no newline yet), kept until its end arrives. */
    private final StringBuilder partial = new StringBuilder();

    LogFile(Path path, String prefix) {
        this.path = path;
        this.prefix = prefix;
    }

    Path path() {
        return path;
    }

    String prefix() {
        return prefix;
    }

    boolean modifiedSince(Instant since) {
        return lastModified().isAfter(since);
    }

    Instant lastModified() {
        try {
            return Files.getLastModifiedTime(path).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    /** The whole file's lines (the last {@code tail} when tail ≥ 0); none when it does not exist. */
    List<String> history(int tail) throws IOException {
        if (!Files.isRegularFile(path)) {
            return List.of();
        }
        List<String> lines = split(new String(Files.readAllBytes(path), StandardCharsets.UTF_8), true);
        return tail >= 0 && lines.size() > tail ? lines.subList(lines.size() - tail, lines.size()) : lines;
    }

    void skipToEnd() throws IOException {
        offset = Files.isRegularFile(path) ? Files.size(path) : 0;
    }

    /** Complete lines appended since the last read. */
    List<String> readNew() throws IOException {
        if (!Files.isRegularFile(path)) {
            return List.of();
        }
        long size = Files.size(path);
        if (size < offset) {
            offset = 0;
            partial.setLength(0);
        }
        if (size == offset) {
            return List.of();
        }
        byte[] bytes;
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "r")) {
            file.seek(offset);
            bytes = new byte[(int) Math.min(Integer.MAX_VALUE - 8, size - offset)];
            file.readFully(bytes);
        }
        offset += bytes.length;
        partial.append(new String(bytes, StandardCharsets.UTF_8));
        String text = partial.toString();
        int lastNewline = text.lastIndexOf('\n');
        if (lastNewline < 0) {
            return List.of();
        }
        partial.setLength(0);
        partial.append(text.substring(lastNewline + 1));
        return split(text.substring(0, lastNewline + 1), false);
    }

    /** Lines without CR/LF; with {@code keepUnfinished} a last line without newline counts too. */
    static List<String> split(String text, boolean keepUnfinished) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                out.add(strip(text.substring(start, i)));
                start = i + 1;
            }
        }
        if (keepUnfinished && start < text.length()) {
            out.add(strip(text.substring(start)));
        }
        return out;
    }

    private static String strip(String line) {
        return line.replace("\r", "");
    }
}
