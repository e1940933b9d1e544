package org.pastiche.app;

import javafx.geometry.Rectangle2D;

/** The window's first size: the remembered one (or 1280 x 800), within the screen, at least 800 x 600. */
final class WindowSize {
    static final double MIN_WIDTH = 800;
    static final double MIN_HEIGHT = 600;

    private WindowSize() { }

    /** {@code saved} (width, height) made to fit {@code screen}, never below the minimum. */
    static double[] fit(double[] saved, Rectangle2D screen) {
        double w = Double.isFinite(saved[0]) && saved[0] >= MIN_WIDTH ? saved[0] : 1280;
        double h = Double.isFinite(saved[1]) && saved[1] >= MIN_HEIGHT ? saved[1] : 800;
        if (screen != null && screen.getWidth() > 0 && screen.getHeight() > 0) {
            w = Math.min(w, screen.getWidth());
            h = Math.min(h, screen.getHeight());
        }
        return new double[] {Math.max(MIN_WIDTH, w), Math.max(MIN_HEIGHT, h)};
    }
}
