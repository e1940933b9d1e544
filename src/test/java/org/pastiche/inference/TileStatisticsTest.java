package org.pastiche.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pastiche.imaging.RgbaImage;

class TileStatisticsTest {
    /** Every pixel of the source, its value its own position: 0xFF_yyyy_xxx would not fit, so y * 4096 + x. */
    private static RgbaImage positions(int w, int h) {
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = y * 4096 + x;
            }
        }
        return new RgbaImage(w, h, px);
    }

    /** The mosaic's patches are full-resolution pieces of the source, each from the middle of its grid cell. */
    @Test
    void mosaicIsMadeOfFullResolutionPatchesFromAllOverTheSource() {
        RgbaImage source = positions(1024, 768);
        RgbaImage m = TileStatistics.detailMosaic(source, 512, 384, 3, 4);
        assertEquals(512, m.width());
        assertEquals(384, m.height());
        // cuts at 168 and 340 (x: 170.7 and 341.3 down to multiples of 4), 128 and 256 (y)
        int[] xs = {0, 168, 340, 512};
        int[] ys = {0, 128, 256, 384};
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < 3; i++) {
                int pw = xs[i + 1] - xs[i];
                int ph = ys[j + 1] - ys[j];
                int x0 = (int) ((i + 0.5) * 1024 / 3) - pw / 2;
                int y0 = (int) ((j + 0.5) * 768 / 3) - ph / 2;
                for (int y = 0; y < ph; y += 7) {
                    for (int x = 0; x < pw; x += 5) {
                        assertEquals((y0 + y) * 4096 + x0 + x, m.get(xs[i] + x, ys[j] + y), "patch " + i + "," + j);
                    }
                }
                // neighbouring pixels of a patch are neighbours in the source: full resolution
                assertEquals(m.get(xs[i], ys[j]) + 1, m.get(xs[i] + 1, ys[j]));
                assertEquals(m.get(xs[i], ys[j]) + 4096, m.get(xs[i], ys[j] + 1));
            }
        }
        // the patches' centres are spread over the source: the first starts in its first third, the last ends in its last
        assertTrue(m.get(0, 0) % 4096 < 1024 / 3 && m.get(511, 383) % 4096 > 2 * 1024 / 3);
    }

    /** Tiny pictures: no empty or overlapping cells, nothing read outside the source. */
    @Test
    void mosaicOfSmallPictures() {
        RgbaImage source = positions(30, 17);
        RgbaImage m = TileStatistics.detailMosaic(source, 16, 16, 3, 4);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                int v = m.get(x, y);
                assertTrue(v % 4096 < 30 && v / 4096 < 17, x + "," + y);
            }
        }
    }

    @Test
    void mismatchIsTheSizeOfTheCorrection() {
        NormLayout layout = new NormLayout(new int[] {2, 1}, new double[] {1e-5, 1e-5});
        float[] to = {1, 2, 0.5f, 4, 3, 2};
        assertEquals(0, layout.mismatch(to, to), 1e-12);
        // norm 1: mean off by 0.25 deviations in channel 0, deviation off by e in channel 1; norm 2: exact
        float[] from = {1.125f, 2, 0.5f, (float) (4 / Math.E), 3, 2};
        assertEquals(((0.25 + 1) / 2 + 0) / 2, layout.mismatch(to, from), 1e-6);
    }
}
