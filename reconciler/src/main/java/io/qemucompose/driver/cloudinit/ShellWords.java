package io.qemucompose.driver.cloudinit;

/** Words for the guest's {@code /bin/sh}, as runcmd lines of the seed are run. */
public final class ShellWords {

    private ShellWords() {
    }

    /** {@code word} as one shell word: bare when plainly safe, else in single quotes ({@code '} as {@code '\''}). */
    public static String quote(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_@%+=:,./-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
