package org.pastiche.cli;

import java.io.PrintWriter;
import org.pastiche.core.ProgressListener;

/** A one-line progress bar redrawn with carriage returns; only used on a terminal. */
final class ProgressBar implements ProgressListener {
    private static final int WIDTH = 30;
    private final PrintWriter out;
    private final String label;
    private int lastPercent = -1;

    ProgressBar(PrintWriter out, String label) {
        this.out = out;
        this.label = label;
    }

    @Override
    public synchronized void progress(long done, long total) {
        int percent = total <= 0 ? 0 : (int) Math.min(100, done * 100 / total);
        if (percent == lastPercent) {
            return;
        }
        lastPercent = percent;
        int filled = percent * WIDTH / 100;
        out.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + String.format("%3d%% ", percent)
                + label);
        out.flush();
    }

    /** Clears the line so that the next message starts at the left. */
    synchronized void clear() {
        if (lastPercent >= 0) {
            out.print("\r" + " ".repeat(WIDTH + 8 + label.length()) + "\r");
            out.flush();
        }
    }
}
