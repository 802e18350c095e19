package io.qemucompose.cli.command;

import io.qemucompose.driver.image.PullProgress;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shows pulls in progress: on a terminal one bar per image, redrawn in place (at most ten times a
 * second); otherwise a plain line whenever an image passes a quarter, so logs stay short.
 */
final class PullProgressView implements PullProgress.Listener {

    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR = 16;

    private final PrintWriter out;
    private final boolean terminal;
    private final Map<String, PullProgress> latest = new LinkedHashMap<>();
    private final Map<String, Integer> quarterShown = new LinkedHashMap<>();
    private int drawnLines;
    private long lastDraw;

    PullProgressView(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public synchronized void onProgress(PullProgress p) {
        latest.put(p.label(), p);
        if (terminal) {
            long now = System.nanoTime();
            if (p.done() || now - lastDraw >= REDRAW_NANOS) {
                redraw();
                lastDraw = now;
            }
            return;
        }
        int quarter = p.done() ? 4 : p.totalBytes() > 0 ? (int) (4 * p.bytes() / p.totalBytes()) : 0;
        Integer shown = quarterShown.get(p.label());
        if (shown == null || quarter > shown) {
            quarterShown.put(p.label(), quarter);
            out.println(p.label() + ": " + (p.done() ? "done, " + HumanSizes.of(p.bytes())
                    : p.totalBytes() > 0 ? quarter * 25 + "% of " + HumanSizes.of(p.totalBytes())
                    : HumanSizes.of(p.bytes()) + " so far"));
            out.flush();
        }
    }

    /** Draws the final state of every bar (a fast pull may have skipped the last redraw). */
    synchronized void finish() {
        if (terminal && !latest.isEmpty()) {
            redraw();
        }
    }

    private void redraw() {
        StringBuilder sb = new StringBuilder();
        if (drawnLines > 0) {
            sb.append("\033[").append(drawnLines).append('A');
        }
        for (PullProgress p : latest.values()) {
            sb.append("\r\033[2K").append(line(p)).append('\n');
        }
        drawnLines = latest.size();
        out.print(sb);
        out.flush();
    }

    static String line(PullProgress p) {
        int percent = p.done() ? 100 : p.totalBytes() > 0 ? (int) (100 * p.bytes() / p.totalBytes()) : 0;
        int filled = percent * BAR / 100;
        String total = p.totalBytes() > 0 ? HumanSizes.of(p.totalBytes()) : "?";
        return String.format("%-20s %3d%% |%s%s| (%s/%s, %s/s)", p.label(), percent, "█".repeat(filled),
                " ".repeat(BAR - filled), HumanSizes.of(p.bytes()), total, HumanSizes.of((long) p.bytesPerSecond()));
    }
}
