package io.qemucompose.cli.command;

import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.UserFacingException;
import java.util.List;
import java.util.Locale;

/** A POSIX signal as {@code kill -s} takes it: {@code KILL}, {@code SIGTERM}, {@code sigint}, {@code 9}. */
record Signal(String name, int number) {

    /** Linux's numbering on x86-64 and arm64, index = number. */
    private static final List<String> NAMES = List.of("", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
            "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
            "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");
    private static final int RTMIN = 34;
    private static final int RTMAX = 64;

    static final Signal KILL = new Signal("SIGKILL", 9);

    static Signal parse(String text) {
        String t = text.trim();
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            int n;
            try {
                n = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                throw invalid(text);
            }
            if (n >= 1 && n < NAMES.size()) {
                return new Signal("SIG" + NAMES.get(n), n);
            }
            if (n >= RTMIN && n <= RTMAX) {
                return new Signal("SIGRTMIN+" + (n - RTMIN), n);
            }
            throw invalid(text);
        }
        String name = t.toUpperCase(Locale.ROOT);
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        int index = NAMES.indexOf(name);
        if (index > 0) {
            return new Signal("SIG" + name, index);
        }
        if (name.equals("IOT")) {
            return new Signal("SIGABRT", 6);
        }
        throw invalid(text);
    }

    private static UserFacingException invalid(String text) {
        return new UserFacingException("unknown signal '" + text + "': use a name such as KILL, TERM, SIGINT, or a number 1-64",
                ExitCode.USAGE, null);
    }
}
