package org.pastiche.imaging;

import java.util.stream.IntStream;

/**
 * Combines a stylized image with its original: keep-colours replaces the original's luminance
 * (BT.601 Y, as in JPEG's YCbCr) with the stylized one's while keeping its chroma; strength then
 * blends linearly from the original (0) to that result (1). Alpha comes from the original.
 */
public final class StyleBlend {
    private StyleBlend() {}

    public static RgbaImage finish(RgbaImage original, RgbaImage stylized, double strength, boolean keepColors) {
        if (original.width() != stylized.width() || original.height() != stylized.height()) {
            throw new IllegalArgumentException("sizes differ: " + original.width() + "x" + original.height()
                    + " vs " + stylized.width() + "x" + stylized.height());
        }
        int[] o = original.argb();
        int[] s = stylized.argb();
        int[] out = new int[o.length];
        float t = (float) strength;
        int w = original.width();
        IntStream rows = IntStream.range(0, original.height());
        if (o.length > 1 << 20) {
            rows = rows.parallel();
        }
        rows.forEach(y -> {
            for (int i = y * w, end = i + w; i < end; i++) {
                int po = o[i];
                int ps = s[i];
                float or = (po >> 16) & 0xFF;
                float og = (po >> 8) & 0xFF;
                float ob = po & 0xFF;
                float sr = (ps >> 16) & 0xFF;
                float sg = (ps >> 8) & 0xFF;
                float sb = ps & 0xFF;
                if (keepColors) {
                    // Cb and Cr weights sum to zero, so adding the same amount to R, G and B
                    // changes only Y: the original's chroma with the stylized luminance.
                    float dy = 0.299f * (sr - or) + 0.587f * (sg - og) + 0.114f * (sb - ob);
                    sr = or + dy;
                    sg = og + dy;
                    sb = ob + dy;
                }
                out[i] = (po & 0xFF000000) | Tensors.to8(or + t * (sr - or)) << 16
                        | Tensors.to8(og + t * (sg - og)) << 8 | Tensors.to8(ob + t * (sb - ob));
            }
        });
        return new RgbaImage(original.width(), original.height(), out);
    }
}
