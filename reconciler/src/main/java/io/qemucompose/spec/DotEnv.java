package io.qemucompose.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code .env} file next to the compose file, read as docker compose (compose-go's dotenv)
 * reads it:
 * <ul>
 *   <li>{@code KEY=value}, {@code KEY: value}, an optional {@code export } prefix; keys of letters,
 *       digits, {@code _ . - [ ]}; a key starting with a digit is ignored;</li>
 *   <li>a bare {@code KEY} takes the value of the environment, if it is set there;</li>
 *   <li>unquoted values run to the end of the line, cut at {@code " #"}, trailing blanks dropped;</li>
 *   <li>single-quoted values are literal (only {@code \'} stands for a quote), double-quoted values
 *       take the shell escapes {@code \a \b \f \n \r \t \v \\ \" \$} and {@code \0nnn} (octal);
 *       any other backslash stays; both may span several lines;</li>
 *   <li>unquoted and double-quoted values are interpolated like the compose file, from the
 *       environment first, then from the keys above them in the file;</li>
 *   <li>a leading UTF-8 byte order mark is skipped.</li>
 * </ul>
 * Every problem carries the {@code .env} line and column.
 */
final class DotEnv {
    static final String FILE_NAME = ".env";
    private static final Pattern ESCAPE = Pattern.compile("\\\\(?:[abcfnrtv$\"\\\\]|0\\d{0,3})");
    private static final Pattern EXPORT = Pattern.compile("export[ \\t\\f\\x0B\\r\\u0085\\u00A0]+");
    private final Path file;
    private final String text;
    private final int[] lineStarts;
    private final Map<String, String> environment;
    private final Problems problems;
    private final Map<String, String> values = new LinkedHashMap<>();
    private int at;

    private DotEnv(Path file, String text, Map<String, String> environment, Problems problems) {
        this.file = file;
        this.text = text;
        this.lineStarts = lineStarts(text);
        this.environment = environment;
        this.problems = problems;
    }

    static Map<String, String> read(Path projectDir, Map<String, String> environment, Problems problems) {
        Path file = projectDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        return readFile(file, environment, problems);
    }

    /** Any file in {@code .env} syntax (a VM's {@code env_file:}); problems carry its line and column. */
    static Map<String, String> readFile(Path file, Map<String, String> environment, Problems problems) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            problems.add(new Problem(file, 0, 0, "", "cannot read: " + e.getMessage()));
            return Map.of();
        }
        Optional<String> text = Utf8Text.decode(file, bytes, problems);
        return text.map(t -> parse(file, t, environment, problems)).orElse(Map.of());
    }

    static Map<String, String> parse(Path file, String text, Map<String, String> environment, Problems problems) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        DotEnv parser = new DotEnv(file, body, environment, problems);
        parser.statements();
        parser.values.keySet().removeIf(key -> !key.isEmpty() && Character.isDigit(key.charAt(0)));
        return parser.values;
    }

    private void statements() {
        while (true) {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
            if (at >= text.length()) {
                return;
            }
            if (text.charAt(at) == '#') {
                skipLine();
                continue;
            }
            if (!statement()) {
                return;
            }
        }
    }

    /** One KEY=value; false when the rest of the file cannot be read reliably. */
    private boolean statement() {
        Matcher export = EXPORT.matcher(text).region(at, text.length());
        if (export.lookingAt()) {
            at = export.end();
        }
        int keyStart = at;
        char end = '\n';
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '=' || c == ':' || c == '\n') {
                end = c;
                break;
            }
            if (!isBlank(c) && !Character.isLetterOrDigit(c) && "_.-[]".indexOf(c) < 0) {
                String line = text.substring(keyStart, lineEnd(keyStart)).strip();
                problem(at, "", "unexpected character '" + c + "' in variable name '" + line
                        + "', expected KEY=value with a name of letters, digits, '_', '.', '-'");
                skipLine();
                return true;
            }
            at++;
        }
        String key = text.substring(keyStart, at).strip();
        if (key.chars().anyMatch(Character::isWhitespace)) {
            problem(keyStart, "", "found '" + key + "', a variable name cannot contain a space");
            skipLine();
            return true;
        }
        if (at < text.length()) {
            at++;
        }
        if (end == '\n') {
            Optional.ofNullable(environment.get(key)).ifPresent(v -> values.put(key, v));
            return true;
        }
        while (at < text.length() && isBlank(text.charAt(at))) {
            at++;
        }
        char first = at < text.length() ? text.charAt(at) : '\0';
        return first == '"' || first == '\'' ? quoted(key, first) : unquoted(key);
    }

    private boolean unquoted(String key) {
        int start = at;
        int stop = lineEnd(at);
        String raw = text.substring(start, stop);
        int comment = raw.indexOf(" #");
        raw = (comment < 0 ? raw : raw.substring(0, comment)).stripTrailing();
        at = stop;
        interpolate(key, raw, start, true).ifPresent(v -> values.put(key, v));
        return true;
    }

    private boolean quoted(String key, char quote) {
        int open = at;
        StringBuilder chars = new StringBuilder();
        boolean escaped = false;
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != quote) {
                if (!escaped && c == '\\') {
                    escaped = true;
                    continue;
                }
                if (escaped) {
                    escaped = false;
                    chars.append('\\');
                }
                chars.append(c);
                continue;
            }
            if (escaped) {
                escaped = false;
                chars.append(c);
                continue;
            }
            at = i + 1;
            if (quote == '\'') {
                values.put(key, chars.toString());
            } else {
                interpolate(key, unescape(chars.toString()), open, false).ifPresent(v -> values.put(key, v));
            }
            return afterClosingQuote(key);
        }
        problem(open, key, "found " + text.substring(open, lineEnd(open))
                + ", which has no closing " + (quote == '"' ? "double" : "single") + " quote"
                + (quote == '\'' ? " (inside single quotes, \\' is a quote, not the end)" : ""));
        return false;
    }

    /** Only blanks or a comment may follow a closing quote on its line. */
    private boolean afterClosingQuote(String key) {
        int i = at;
        while (i < text.length() && isBlank(text.charAt(i))) {
            i++;
        }
        if (i < text.length() && text.charAt(i) != '\n' && text.charAt(i) != '#') {
            problem(i, key, "found '" + text.substring(i, lineEnd(i)).strip()
                    + "' after the closing quote, expected the end of the line or a # comment");
        }
        skipLine();
        return true;
    }

    /** compose-go's escapes in double quotes; \$ becomes $$ so interpolation leaves a '$'. */
    static String unescape(String value) {
        Matcher m = ESCAPE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String match = m.group();
            String replacement = switch (match.charAt(1)) {
                case 'a' -> "\u0007";
                case 'b' -> "\b";
                case 'f' -> "\f";
                case 'n' -> "\n";
                case 'r' -> "\r";
                case 't' -> "\t";
                case 'v' -> "\u000B";
                case '$' -> "$$";
                case '"' -> "\"";
                case '\\' -> "\\";
                case '0' -> octal(match);
                default -> match;
            };
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** {@code \0nnn}: exactly three octal digits up to 377 make one character; else kept as written. */
    private static String octal(String match) {
        String digits = match.substring(2);
        if (digits.length() != 3 || !digits.matches("[0-7]{3}") || Integer.parseInt(digits, 8) > 255) {
            return match;
        }
        return String.valueOf((char) Integer.parseInt(digits, 8));
    }

    private Optional<String> interpolate(String key, String raw, int start, boolean exact) {
        Interpolation interpolation = new Interpolation(name -> environment.containsKey(name)
                ? environment.get(name) : values.get(name));
        try {
            return Optional.of(interpolation.apply(raw));
        } catch (Interpolation.Failure f) {
            problem(exact ? start + f.offset() : start, key, f.getMessage());
            return Optional.empty();
        }
    }

    private void problem(int index, String key, String message) {
        int line = Arrays.binarySearch(lineStarts, index);
        line = line >= 0 ? line : -line - 2;
        problems.add(new Problem(file, line + 1, index - lineStarts[line] + 1, key, message));
    }

    private void skipLine() {
        at = Math.min(text.length(), lineEnd(at) + 1);
    }

    private int lineEnd(int from) {
        int newline = text.indexOf('\n', from);
        return newline < 0 ? text.length() : newline;
    }

    /** compose-go's blanks: spaces without the line break. */
    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\u000B' || c == '\f' || c == '\r' || c == '\u0085' || c == '\u00A0';
    }

    private static int[] lineStarts(String text) {
        int[] starts = new int[(int) text.chars().filter(c -> c == '\n').count() + 1];
        int n = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts[n++] = i + 1;
            }
        }
        return starts;
    }
}
