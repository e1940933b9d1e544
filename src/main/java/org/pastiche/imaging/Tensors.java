package org.pastiche.imaging;

import java.nio.FloatBuffer;

/**
 * Conversions between {@link RgbaImage} and the models' tensors: float32 NCHW, RGB, 0..255.
 * Image to tensor is exact (8-bit values are exact floats); tensor to image clamps and rounds,
 * so that a round trip returns the same pixels.
 */
public final class Tensors {
    private Tensors() {}

    /** The whole image as a [1,3,H,W] tensor's data. */
    public static float[] toNchw(RgbaImage image) {
        int n = image.argb().length;
        float[] out = new float[3 * n];
        int[] src = image.argb();
        for (int i = 0; i < n; i++) {
            int p = src[i];
            out[i] = (p >> 16) & 0xFF;
            out[n + i] = (p >> 8) & 0xFF;
            out[2 * n + i] = p & 0xFF;
        }
        return out;
    }

    /** An opaque image from [1,3,H,W] data, clamped to 0..255 and rounded. */
    public static RgbaImage fromNchw(float[] data, int width, int height) {
        int n = Math.multiplyExact(width, height);
        if (data.length < 3 * n) {
            throw new IllegalArgumentException("need " + 3 * n + " values, got " + data.length);
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = 0xFF000000 | to8(data[i]) << 16 | to8(data[n + i]) << 8 | to8(data[2 * n + i]);
        }
        return new RgbaImage(width, height, out);
    }

    /**
     * Writes the window {@code [x0, x0+w) x [y0, y0+h)} of {@code image} as planar RGB into
     * {@code dst} from index 0. Coordinates outside the image are mirrored (reflection padding
     * without repeating the edge, as PyTorch's ReflectionPad2d).
     */
    public static void readWindow(RgbaImage image, int x0, int y0, int w, int h, FloatBuffer dst) {
        int iw = image.width();
        int ih = image.height();
        int[] src = image.argb();
        int plane = w * h;
        int[] xs = new int[w];
        for (int x = 0; x < w; x++) {
            xs[x] = reflect(x0 + x, iw);
        }
        float[] r = new float[w];
        float[] g = new float[w];
        float[] b = new float[w];
        for (int y = 0; y < h; y++) {
            int row = reflect(y0 + y, ih) * iw;
            for (int x = 0; x < w; x++) {
                int p = src[row + xs[x]];
                r[x] = (p >> 16) & 0xFF;
                g[x] = (p >> 8) & 0xFF;
                b[x] = p & 0xFF;
            }
            dst.put(y * w, r);
            dst.put(plane + y * w, g);
            dst.put(2 * plane + y * w, b);
        }
    }

    /** Mirrors {@code i} into {@code [0, n)}: -1 -> 1, n -> n-2 (edge not repeated). */
    public static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }

    /** Clamps to 0..255 and rounds half up. */
    public static int to8(float v) {
        if (!(v > 0f)) {
            return 0; // also NaN
        }
        if (v >= 255f) {
            return 255;
        }
        return (int) (v + 0.5f);
    }
}
