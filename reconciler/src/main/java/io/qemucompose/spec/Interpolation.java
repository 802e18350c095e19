package io.qemucompose.spec;

import java.util.function.Function;

/**
 * docker compose's variable substitution in scalar values: {@code $VAR}, {@code ${VAR}},
 * {@code ${VAR:-default}} (unset or empty), {@code ${VAR-default}} (unset),
 * {@code ${VAR:?message}}, {@code ${VAR?message}}, {@code ${VAR:+alt}}, {@code ${VAR+alt}},
 * and {@code $$} for a literal {@code $}. Defaults, messages and alternatives may themselves hold
 * substitutions. An unset {@code $VAR} becomes the empty string, as in docker compose. Any other
 * use of {@code $} is an error, so a typo never silently reaches a VM.
 */
public final class Interpolation {
    private final Function<String, String> lookup;

    /** @param lookup value of a variable, or null when unset */
    public Interpolation(Function<String, String> lookup) {
        this.lookup = lookup;
    }

    /** A failed substitution; {@code offset} is the index in the text where it starts. */
    public static final class Failure extends Exception {
        private final int offset;

        Failure(String message, int offset) {
            super(message);
            this.offset = offset;
        }

        public int offset() {
            return offset;
        }
    }

    public String apply(String text) throws Failure {
        if (text.indexOf('$') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int end = expand(text, 0, text.length(), out);
        assert end == text.length();
        return out.toString();
    }

    /** Writes {@code s} so that {@link #apply} gives it back unchanged. */
    public static String escape(String s) {
        return s.replace("$", "$$");
    }

    /** Expands text[from, to) into out; returns to. */
    private int expand(String text, int from, int to, StringBuilder out) throws Failure {
        int i = from;
        while (i < to) {
            char c = text.charAt(i);
            if (c != '$') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= to) {
                throw new Failure("found a lone '$' at the end; write '$$' for a literal '$'", i);
            }
            char next = text.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
            } else if (next == '{') {
                i = braced(text, i, to, out);
            } else if (isNameStart(next)) {
                int nameEnd = nameEnd(text, i + 1, to);
                String value = lookup.apply(text.substring(i + 1, nameEnd));
                out.append(value == null ? "" : value);
                i = nameEnd;
            } else {
                throw new Failure("found '$" + next + "', expected $NAME, ${NAME...} or '$$' for a literal '$'", i);
            }
        }
        return to;
    }

    /** Handles ${...} starting at text[dollar]; returns the index after the closing brace. */
    private int braced(String text, int dollar, int to, StringBuilder out) throws Failure {
        int close = matchingBrace(text, dollar + 1, to);
        if (close < 0) {
            throw new Failure("found '${' without a closing '}'", dollar);
        }
        int nameStart = dollar + 2;
        if (nameStart >= close || !isNameStart(text.charAt(nameStart))) {
            throw new Failure("found '" + text.substring(dollar, close + 1)
                    + "', expected a variable name after '${'", dollar);
        }
        int nameEnd = nameEnd(text, nameStart, close);
        String name = text.substring(nameStart, nameEnd);
        String value = lookup.apply(name);
        if (nameEnd == close) {
            out.append(value == null ? "" : value);
            return close + 1;
        }
        boolean colon = text.charAt(nameEnd) == ':';
        int opAt = colon ? nameEnd + 1 : nameEnd;
        char op = opAt < close ? text.charAt(opAt) : '\0';
        if (op != '-' && op != '?' && op != '+') {
            throw new Failure("found '" + text.substring(dollar, close + 1) + "', expected ${" + name + "}, ${"
                    + name + ":-default}, ${" + name + "-default}, ${" + name + ":?error}, ${" + name
                    + "?error}, ${" + name + ":+alternative} or ${" + name + "+alternative}", dollar);
        }
        boolean missing = value == null || (colon && value.isEmpty());
        int argStart = opAt + 1;
        switch (op) {
            case '-' -> {
                if (missing) {
                    expand(text, argStart, close, out);
                } else {
                    out.append(value);
                }
            }
            case '+' -> {
                if (!missing) {
                    expand(text, argStart, close, out);
                }
            }
            default -> {
                if (missing) {
                    StringBuilder message = new StringBuilder();
                    expand(text, argStart, close, message);
                    throw new Failure("required variable " + name + " is " + (value == null ? "unset" : "empty")
                            + (message.isEmpty() ? "" : ": " + message), dollar);
                }
                out.append(value);
            }
        }
        return close + 1;
    }

    /** Index of the '}' closing the '{' at text[open], counting nested ${...}; -1 if none. */
    private static int matchingBrace(String text, int open, int to) {
        int depth = 0;
        for (int i = open; i < to; i++) {
            char c = text.charAt(i);
            if (c == '$' && i + 1 < to && text.charAt(i + 1) == '$') {
                i++;
            } else if (c == '{' && (i == open || text.charAt(i - 1) == '$')) {
                depth++; // a bare '{' in a default is text, only "${" nests
            } else if (c == '}') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static boolean isNameStart(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static int nameEnd(String text, int from, int to) {
        int i = from;
        while (i < to && (isNameStart(text.charAt(i)) || Character.isDigit(text.charAt(i)) && text.charAt(i) < 128)) {
            i++;
        }
        return i;
    }
}
