package io.qemucompose.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code .env} file next to the compose file: {@code KEY=value} lines, {@code #} comments,
 * an optional {@code export } prefix, single-quoted values taken literally, double-quoted values
 * with {@code \n}, {@code \t}, {@code \"} and {@code \\} escapes, and unquoted values cut at
 * {@code " #"}. Values are not interpolated (docker compose does; we keep .env literal for now).
 */
final class DotEnv {
    static final String FILE_NAME = ".env";
    private static final Pattern LINE =
            Pattern.compile("\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_.]*)\\s*=\\s*(.*?)\\s*");

    private DotEnv() {}

    static Map<String, String> read(Path projectDir, Problems problems) {
        Path file = projectDir.resolve(FILE_NAME);
        Map<String, String> values = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return values;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            problems.add(new Problem(file, 0, 0, "", "cannot read: " + e.getMessage()));
            return values;
        }
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                problems.add(new Problem(file, n + 1, 1, "", "found '" + line.strip()
                        + "', expected KEY=value"));
                continue;
            }
            String raw = m.group(2);
            String value = unquote(raw);
            if (value == null) {
                problems.add(new Problem(file, n + 1, m.start(2) + 1, m.group(1),
                        "found " + raw + ", which has no closing quote"));
                continue;
            }
            values.put(m.group(1), value);
        }
        return values;
    }

    private static String unquote(String raw) {
        if (raw.startsWith("'")) {
            int close = raw.indexOf('\'', 1);
            return close < 0 ? null : raw.substring(1, close);
        }
        if (raw.startsWith("\"")) {
            StringBuilder out = new StringBuilder();
            for (int i = 1; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\' && i + 1 < raw.length()) {
                    char e = raw.charAt(++i);
                    out.append(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        default -> e;
                    });
                } else {
                    out.append(c);
                }
            }
            return null;
        }
        int comment = raw.indexOf(" #");
        return (comment < 0 ? raw : raw.substring(0, comment)).strip();
    }
}
