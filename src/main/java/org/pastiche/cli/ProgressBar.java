package org.pastiche.cli;

import java.io.Console;
import java.io.PrintWriter;
import org.pastiche.core.ProgressListener;

/**
 * A one-line progress bar redrawn with carriage returns, drawn only on a terminal: on the console
 * (the terminal that standard input and output are attached to; {@link #onTerminal} is null when
 * either is redirected), never on a redirected standard error, so logs and pipes stay clean.
 */
final class ProgressBar implements ProgressListener {
    private static final int WIDTH = 30;
    /** Longer file names are shortened so that the line never wraps on an 80-column terminal (a wrapped line cannot be redrawn). */
    static final int MAX_LABEL = 40;
    private final PrintWriter out;
    private final String label;
    private int lastPercent = -1;
    private int drawn;

    ProgressBar(PrintWriter out, String label) {
        this.out = out;
        this.label = label.length() <= MAX_LABEL ? label
                : "..." + label.substring(label.length() - (MAX_LABEL - 3));
    }

    /** A bar on the console, or null when there is no terminal. */
    static ProgressBar onTerminal(String label) {
        Console console = System.console();
        return console == null ? null : new ProgressBar(console.writer(), label);
    }

    @Override
    public synchronized void progress(long done, long total) {
        int percent = total <= 0 ? 0 : (int) Math.max(0, Math.min(100, done * 100 / total));
        if (percent == lastPercent) {
            return;
        }
        lastPercent = percent;
        int filled = percent * WIDTH / 100;
        String line = "[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + String.format("%3d%% ", percent)
                + label;
        drawn = line.length();
        out.print("\r" + line);
        out.flush();
    }

    /** Clears the line so that the next message starts at the left. */
    synchronized void clear() {
        if (lastPercent >= 0) {
            out.print("\r" + " ".repeat(drawn) + "\r");
            out.flush();
            lastPercent = -1;
        }
    }
}
