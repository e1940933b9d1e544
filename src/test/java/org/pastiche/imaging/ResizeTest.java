package org.pastiche.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ResizeTest {
    @Test
    void fitLongSideKeepsAspectAndSmallImages() {
        RgbaImage img = SyntheticImage.photoLike(400, 300, 1);
        RgbaImage small = Resize.fitLongSide(img, 100);
        assertEquals(100, small.width());
        assertEquals(75, small.height());
        assertSame(img, Resize.fitLongSide(img, 400));
    }

    @Test
    void areaDownscaleAveragesExactly() {
        // 2x2 blocks of black and white average to mid grey; a uniform colour stays uniform.
        int[] px = new int[8 * 6];
        for (int i = 0; i < px.length; i++) {
            int x = i % 8;
            int y = i / 8;
            px[i] = ((x + y) % 2 == 0) ? 0xFFFFFFFF : 0xFF000000;
        }
        RgbaImage half = Resize.resize(new RgbaImage(8, 6, px), 4, 3);
        for (int p : half.argb()) {
            assertEquals(0xFF808080, p, Integer.toHexString(p));
        }
        int[] uniform = new int[97 * 61];
        Arrays.fill(uniform, 0xFF3366CC);
        for (int p : Resize.resize(new RgbaImage(97, 61, uniform), 30, 17).argb()) {
            assertEquals(0xFF3366CC, p);
        }
    }

    @Test
    void transparentPixelsDoNotDarkenEdges() {
        int[] px = {0xFFFF0000, 0x00000000};
        RgbaImage one = Resize.resize(new RgbaImage(2, 1, px), 1, 1);
        assertEquals(0x80FF0000, one.get(0, 0));
    }

    @Test
    void upscaleAndPixelCount() {
        RgbaImage img = SyntheticImage.photoLike(40, 30, 2);
        RgbaImage big = Resize.toPixelCount(img, 4800);
        assertEquals(80, big.width());
        assertEquals(60, big.height());
    }
}
