package io.qemucompose.cli.command;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Puts the controlling terminal in raw mode ({@code stty raw -echo} on /dev/tty) and restores the
 * exact previous modes ({@code stty -g}) on close, and from a shutdown hook if the JVM is ended by
 * a signal meanwhile: a terminal left raw is the worst thing a console command can do.
 *
 * <p>stty is used because the JDK has no termios API and the one-shot path carries no JLine;
 * it costs two short processes per session.
 */
final class RawTerminal implements AutoCloseable {

    private static final File TTY = new File("/dev/tty");

    private final String saved;
    private final Thread restoreOnExit;
    private boolean restored;

    private RawTerminal(String saved) {
        this.saved = saved;
        this.restoreOnExit = new Thread(this::restore, "restore-terminal");
        Runtime.getRuntime().addShutdownHook(restoreOnExit);
    }

    /** Raw mode on the controlling terminal, or empty when there is none (input is a pipe or file). */
    static Optional<RawTerminal> enter() throws IOException, InterruptedException {
        // stdin and stdout must be that terminal: `echo x | qemu-compose run …` typed in a terminal reads the
        // pipe, and putting the terminal it was typed in into raw mode would leave the user's shell unusable
        java.io.Console console = System.console();
        if (!TTY.canRead() || console == null || !console.isTerminal()) {
            return Optional.empty();
        }
        Optional<String> saved = stty("-g");
        if (saved.isEmpty()) {
            return Optional.empty();
        }
        RawTerminal terminal = new RawTerminal(saved.get().strip());
        if (stty("raw", "-echo").isEmpty()) {
            terminal.close();
            throw new IOException("cannot put the terminal in raw mode (stty raw -echo failed)");
        }
        return Optional.of(terminal);
    }

    private synchronized void restore() {
        if (restored) {
            return;
        }
        restored = true;
        try {
            stty(saved);
        } catch (IOException | InterruptedException e) {
            // nothing more can be done; the user can type `reset`
        }
    }

    @Override
    public void close() {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(restoreOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or will run: fine
        }
    }

    private static Optional<String> stty(String... args) throws IOException, InterruptedException {
        List<String> argv = new java.util.ArrayList<>(List.of("stty"));
        argv.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectInput(TTY).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return Optional.empty();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroy();
            return Optional.empty();
        }
        return p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
    }
}
