package org.pastiche.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ImageMetricsTest {

    @Test
    void sameShareCountsPixelsThatAreExactlyEqual() {
        RgbaImage a = new RgbaImage(2, 2, new int[] {0xFF102030, 0xFF405060, 0xFF708090, 0xFFA0B0C0});
        RgbaImage b = new RgbaImage(2, 2, new int[] {0xFF102030, 0xFF405061, 0xFF708090, 0xFFA0B0C0});
        assertEquals(0.75, ImageMetrics.sameShare(a, b));
        assertEquals(1.0, ImageMetrics.sameShare(a, a));
        assertEquals(1, ImageMetrics.maxAbsDifference(a, b), "one level of one channel");
        assertThrows(IllegalArgumentException.class,
                () -> ImageMetrics.sameShare(a, new RgbaImage(4, 1, new int[4])));
    }
}
