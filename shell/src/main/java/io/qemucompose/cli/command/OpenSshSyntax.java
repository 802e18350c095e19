package io.qemucompose.cli.command;

import io.qemucompose.cli.UserFacingException;
import java.nio.file.Path;

/**
 * Words and paths as OpenSSH reads them back, in an ssh_config file and in {@code ssh -o}/{@code -i}.
 *
 * <p>OpenSSH splits a config value with {@code argv_split}: whitespace separates words (several
 * {@code UserKnownHostsFile}s), {@code "…"} groups them, and inside quotes only {@code \\},
 * {@code \"} and {@code \'} are escapes. A line ends at a newline whatever the quotes, so a path
 * holding one could add a line of its choosing ({@code ProxyCommand …}): such paths are refused,
 * as is every other control character. File options are then expanded: {@code %x} tokens
 * ({@code %%} is a literal {@code %}) and {@code ${VAR}} (which has no escape, so it is refused).
 */
final class OpenSshSyntax {

    private OpenSshSyntax() {
    }

    /** A config value that stays one word: {@code "…"} with backslash and quotes escaped. */
    static String word(String what, String value) {
        requirePrintable(what, value);
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** {@link #word}, left bare when it needs no quotes (a user name such as {@code debian}). */
    static String plainWord(String what, String value) {
        return value.matches("[A-Za-z0-9_.@:+,=-]+") ? value : word(what, value);
    }

    /** A path for a file option of ssh_config ({@code IdentityFile}, {@code UserKnownHostsFile}). */
    static String configPath(String what, Path path) {
        return word(what, tokenSafe(what, path));
    }

    /** A path given as its own argument ({@code ssh -i PATH}): not split, but still %-expanded. */
    static String argumentPath(String what, Path path) {
        String value = tokenSafe(what, path);
        requirePrintable(what, value);
        return value;
    }

    /** {@code -o Keyword="path"}: ssh parses the option as a config line, so the path is quoted inside. */
    static String option(String keyword, Path path) {
        return keyword + "=" + configPath(keyword, path);
    }

    private static String tokenSafe(String what, Path path) {
        String text = path.toAbsolutePath().toString();
        if (text.contains("${")) {
            throw new UserFacingException(what + " path " + printable(text) + " holds '${', which OpenSSH expands "
                    + "as an environment variable (there is no escape for it); move the project to another folder");
        }
        return text.replace("%", "%%");
    }

    private static void requirePrintable(String what, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new UserFacingException(what + " " + printable(value) + " holds a control character (newline, "
                        + "tab, …), which cannot be written into an OpenSSH config safely; rename the folder");
            }
        }
    }

    /** {@code value} with control characters shown as {@code \n}, {@code \x01}: safe to print on one line. */
    private static String printable(String value) {
        StringBuilder out = new StringBuilder("'");
        value.codePoints().forEach(c -> {
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append("'").toString();
    }
}
