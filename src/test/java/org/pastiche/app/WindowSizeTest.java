package org.pastiche.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import javafx.geometry.Rectangle2D;
import org.junit.jupiter.api.Test;

class WindowSizeTest {
    private final Rectangle2D screen = new Rectangle2D(0, 0, 1366, 740);

    @Test
    void theSavedSizeWithinTheScreen() {
        assertArrayEquals(new double[] {1000, 700}, WindowSize.fit(new double[] {1000, 700}, screen));
        assertArrayEquals(new double[] {1366, 740}, WindowSize.fit(new double[] {2560, 1440}, screen));
    }

    @Test
    void aSizeBelowTheMinimumOrMissingGivesTheDefault() {
        assertArrayEquals(new double[] {1280, 740}, WindowSize.fit(new double[] {300, Double.NaN}, screen));
        assertArrayEquals(new double[] {800, 600}, WindowSize.fit(new double[] {900, 700},
                new Rectangle2D(0, 0, 640, 480)), "never below 800 x 600");
    }
}
