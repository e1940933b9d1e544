package org.pastiche.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.CancelledException;

class GuidedUpsamplerTest {
    private static final GuidedUpsampler PLAIN = new GuidedUpsampler(2, 0.04 * 255, 1.0, false);

    private static int gray(int v) {
        return 0xFF000000 | v << 16 | v << 8 | v;
    }

    private static int red(int p) {
        return (p >> 16) & 0xFF;
    }

    /** A vertical step edge at {@code edge}: dark left, light right. */
    private static RgbaImage step(int w, int h, int edge, int dark, int light) {
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = gray(x < edge ? dark : light);
            }
        }
        return new RgbaImage(w, h, px);
    }

    /** A "painting" that follows the guide's light: a colour ramp of its luminance. */
    private static RgbaImage paint(RgbaImage guide) {
        int[] src = guide.argb();
        int[] px = new int[src.length];
        for (int i = 0; i < px.length; i++) {
            int y = Math.round(GuidedUpsampler.luma(src[i]));
            px[i] = 0xFF000000 | (30 + y * 3 / 4) << 16 | (200 - y / 2) << 8 | 90;
        }
        return new RgbaImage(guide.width(), guide.height(), px);
    }

    private static int maxDiff(RgbaImage a, RgbaImage b) {
        int max = 0;
        for (int i = 0; i < a.argb().length; i++) {
            int p = a.argb()[i];
            int q = b.argb()[i];
            for (int s = 0; s <= 24; s += 8) {
                max = Math.max(max, Math.abs(((p >>> s) & 0xFF) - ((q >>> s) & 0xFF)));
            }
        }
        return max;
    }

    @Test
    void aStepEdgeOfTheGuideStaysSharp() {
        // The edge at x = 130 falls inside low pixel 32 (full pixels 128..131) of a 4x upsampling.
        RgbaImage guide = step(256, 64, 130, 40, 200);
        RgbaImage lowGuide = Resize.resize(guide, 64, 16);
        RgbaImage low = paint(lowGuide);
        int darkRed = red(paint(step(1, 1, 1, 40, 40)).get(0, 0));
        int lightRed = red(paint(step(1, 1, 1, 200, 200)).get(0, 0));
        for (GuidedUpsampler up : new GuidedUpsampler[] {GuidedUpsampler.DEFAULT, PLAIN}) {
            RgbaImage out = up.upsample(low, lowGuide, guide, CancellationToken.none());
            assertEquals(256, out.width());
            assertEquals(64, out.height());
            for (int y : new int[] {0, 31, 63}) {
                // Within 10 % of the step on either side of the edge, at every row: a one-pixel edge.
                int step = lightRed - darkRed;
                assertTrue(Math.abs(red(out.get(129, y)) - darkRed) <= Math.abs(step) / 10,
                        "left of the edge: " + red(out.get(129, y)) + " vs " + darkRed);
                assertTrue(Math.abs(red(out.get(130, y)) - lightRed) <= Math.abs(step) / 10,
                        "right of the edge: " + red(out.get(130, y)) + " vs " + lightRed);
                assertTrue(Math.abs(red(out.get(110, y)) - darkRed) <= 2);
                assertTrue(Math.abs(red(out.get(150, y)) - lightRed) <= 2);
            }
        }
        // Without the guide's detail the edge is smeared over several pixels: what the test guards.
        RgbaImage blurred = new GuidedUpsampler(2, 0.04 * 255, 0, false).upsample(low, lowGuide, guide,
                CancellationToken.none());
        assertTrue(Math.abs(red(blurred.get(129, 31)) - darkRed) > 20, "bilinear alone is not sharp");
    }

    @Test
    void whereTheGuideIsFlatTheOutputIsTheLowResultUpsampled() {
        RgbaImage guide = step(200, 150, 0, 0, 128); // flat mid-gray
        RgbaImage lowGuide = Resize.resize(guide, 50, 38);
        RgbaImage low = SyntheticImage.photoLike(50, 38, 7); // any painting: unrelated to the guide
        RgbaImage out = PLAIN.upsample(low, lowGuide, guide, CancellationToken.none());
        assertTrue(maxDiff(out, Resize.resize(low, 200, 150)) <= 1, "plain: bilinear upsampling");

        // Consistent: scaled back down it is the low-resolution result again, and detail plays no part.
        RgbaImage consistent = GuidedUpsampler.DEFAULT.upsample(low, lowGuide, guide, CancellationToken.none());
        RgbaImage noDetail = new GuidedUpsampler(2, 0.04 * 255, 0, true).upsample(low, lowGuide, guide,
                CancellationToken.none());
        assertTrue(maxDiff(consistent, noDetail) <= 1);
        assertTrue(meanAbs(Resize.resize(consistent, 50, 38), low) < 1.0,
                "scaled down: " + meanAbs(Resize.resize(consistent, 50, 38), low));
        assertTrue(meanAbs(Resize.resize(out, 50, 38), low) > 2.0, "plain bilinear blurs the painting");
    }

    @Test
    void aDetailedPhotoAddsDetailButScalesBackToTheLowResult() {
        RgbaImage guide = SyntheticImage.photoLike(320, 240, 3);
        RgbaImage lowGuide = Resize.resize(guide, 80, 60);
        RgbaImage low = paint(lowGuide);
        RgbaImage out = GuidedUpsampler.DEFAULT.upsample(low, lowGuide, guide, CancellationToken.none());
        assertTrue(meanAbs(Resize.resize(out, 80, 60), low) < 1.5);
        // The painting follows the photo here, so the output is the painting of the full-size photo.
        double guided = meanAbs(out, paint(guide));
        double bilinear = meanAbs(Resize.resize(low, 320, 240), paint(guide));
        assertTrue(guided < bilinear * 0.75, guided + " vs bilinear " + bilinear);
        // Its regulariser keeps low-contrast windows from being fitted: a small one fits nearly all.
        RgbaImage close = new GuidedUpsampler(2, 1, 1, true).upsample(low, lowGuide, guide, CancellationToken.none());
        double closer = meanAbs(close, paint(guide));
        assertTrue(closer < bilinear / 3, closer + " vs bilinear " + bilinear);
    }

    @Test
    void alphaComesFromTheGuide() {
        RgbaImage guide = SyntheticImage.photoLike(64, 64, 1);
        int[] px = guide.argb().clone();
        px[5] &= 0x00FFFFFF;
        guide = new RgbaImage(64, 64, px);
        RgbaImage lowGuide = Resize.resize(guide, 16, 16);
        RgbaImage out = GuidedUpsampler.DEFAULT.upsample(paint(lowGuide), lowGuide, guide, CancellationToken.none());
        assertEquals(0, out.argb()[5] >>> 24);
        assertEquals(0xFF, out.argb()[6] >>> 24);
    }

    @Test
    void badInputs() {
        RgbaImage g = SyntheticImage.photoLike(64, 64, 1);
        assertThrows(IllegalArgumentException.class, () -> GuidedUpsampler.DEFAULT.upsample(
                RgbaImage.blank(16, 16), RgbaImage.blank(16, 15), g, CancellationToken.none()));
        assertThrows(IllegalArgumentException.class, () -> new GuidedUpsampler(0, 10, 1, true));
        CancellationToken cancelled = new CancellationToken();
        cancelled.cancel();
        assertThrows(CancelledException.class, () -> GuidedUpsampler.DEFAULT.upsample(
                RgbaImage.blank(16, 16), RgbaImage.blank(16, 16), g, cancelled));
    }

    @Test
    void upsamplingThatScalesBackIsExactAlongEachAxis() {
        for (int[] s : new int[][] {{64, 256}, {50, 173}, {7, 7}, {3, 40}}) {
            GuidedUpsampler.Axis ax = new GuidedUpsampler.Axis(s[0], s[1]);
            for (int i = 0; i < s[0]; i++) {
                assertEquals(1.0, ax.sub[i] + ax.diag[i] + ax.sup[i], 1e-9, "rows sum to 1");
            }
        }
    }

    private static double meanAbs(RgbaImage a, RgbaImage b) {
        double sum = 0;
        for (int i = 0; i < a.argb().length; i++) {
            int p = a.argb()[i];
            int q = b.argb()[i];
            for (int s = 0; s <= 16; s += 8) {
                sum += Math.abs(((p >>> s) & 0xFF) - ((q >>> s) & 0xFF));
            }
        }
        return sum / (3.0 * a.argb().length);
    }
}
