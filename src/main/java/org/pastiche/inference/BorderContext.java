package org.pastiche.inference;

import org.pastiche.imaging.RgbaImage;

/**
 * A mirrored margin round a picture, and its removal: the engine runs a style whose catalog entry has
 * a {@code border_context} on the photo with that many px of mirror image on every side (the mirror
 * leaves the edge pixel out, like NumPy's and PyTorch's {@code reflect}), then crops the painting back
 * to the photo's size. A student that paints a line along the border of whatever it is given (La Muse's
 * right-edge line) then paints it in the margin, which is cut away; the lab measures the same feeding
 * ({@code evaluate --feed-context}).
 */
public final class BorderContext {
    /** The widest context a catalog may ask for. */
    public static final int MAX = 32;

    private BorderContext() {
    }

    /** {@code source} with {@code c} px of its mirror image on every side (fewer where a side is shorter than c + 1). */
    public static RgbaImage reflect(RgbaImage source, int c) {
        int w = source.width();
        int h = source.height();
        int cx = Math.min(c, w - 1);
        int cy = Math.min(c, h - 1);
        int pw = w + 2 * cx;
        int ph = h + 2 * cy;
        int[] src = source.argb();
        int[] out = new int[Math.multiplyExact(pw, ph)];
        int[] col = new int[pw];
        for (int x = 0; x < pw; x++) {
            col[x] = mirror(x - cx, w);
        }
        for (int y = 0; y < ph; y++) {
            int row = mirror(y - cy, h) * w;
            int o = y * pw;
            for (int x = 0; x < pw; x++) {
                out[o + x] = src[row + col[x]];
            }
        }
        return new RgbaImage(pw, ph, out);
    }

    /** The inner {@code width} x {@code height} of {@code padded}, which {@link #reflect} made from such a picture. */
    public static RgbaImage crop(RgbaImage padded, int width, int height) {
        int cx = (padded.width() - width) / 2;
        int cy = (padded.height() - height) / 2;
        if (cx < 0 || cy < 0 || padded.width() != width + 2 * cx || padded.height() != height + 2 * cy) {
            throw new IllegalArgumentException("a " + padded.width() + "x" + padded.height()
                    + " picture is not a margin round " + width + "x" + height);
        }
        int[] out = new int[Math.multiplyExact(width, height)];
        for (int y = 0; y < height; y++) {
            System.arraycopy(padded.argb(), (y + cy) * padded.width() + cx, out, y * width, width);
        }
        return new RgbaImage(width, height, out);
    }

    /** Index i of a row of n, mirrored at both ends without repeating the end pixel. */
    static int mirror(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int k = Math.floorMod(i, period);
        return k < n ? k : period - k;
    }
}
