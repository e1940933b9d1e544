package org.pastiche.imaging.webp;

/**
 * libwebp's conversion of a decoded VP8 frame (Y at full size, U and V at half size, 4:2:0) to RGB,
 * bit for bit: "fancy" upsampling of the chroma (each output pixel mixes the four nearest chroma
 * samples with weights 9-3-3-1, as {@code UpsampleRgbLinePair} in libwebp's
 * {@code src/dsp/upsampling.c} computes it, including its rounding) and the 14-bit fixed-point
 * BT.601 limited-range conversion of {@code src/dsp/yuv.h} ({@code VP8YUVToR/G/B}). Browsers,
 * Pillow, dwebp and libvips all decode lossy WebP this way, so a picture here matches what they show.
 */
public final class WebpYuv {
    private static final int YUV_FIX2 = 6;
    private static final int YUV_MASK2 = (256 << YUV_FIX2) - 1;

    private WebpYuv() {}

    /**
     * Converts planes to opaque ARGB. {@code y} is {@code width x height}, {@code u} and {@code v}
     * are {@code (width + 1) / 2 x (height + 1) / 2}, all row-major without padding.
     */
    public static int[] toArgb(byte[] y, byte[] u, byte[] v, int width, int height) {
        int uvw = (width + 1) / 2;
        int uvh = (height + 1) / 2;
        if (y.length != (long) width * height || u.length != (long) uvw * uvh || v.length != u.length) {
            throw new IllegalArgumentException("plane sizes do not match " + width + "x" + height);
        }
        int[] out = new int[Math.multiplyExact(width, height)];
        // The driver of libwebp's EmitFancyRGB: row 0 with chroma row 0 alone; then the pairs
        // (2k-1, 2k) between chroma rows k-1 and k; an even height ends with the last chroma row alone.
        linePair(y, 0, -1, u, v, 0, 0, uvw, out, width);
        int k = 1;
        for (; 2 * k < height; k++) {
            linePair(y, 2 * k - 1, 2 * k, u, v, (k - 1) * uvw, k * uvw, uvw, out, width);
        }
        if ((height & 1) == 0) {
            linePair(y, height - 1, -1, u, v, (uvh - 1) * uvw, (uvh - 1) * uvw, uvw, out, width);
        }
        return out;
    }

    /**
     * One call of libwebp's {@code UpsampleRgbLinePair}: output row {@code topRow} is nearer the
     * chroma row at {@code topUv}, {@code bottomRow} (or -1 for none) nearer the one at {@code curUv}.
     * U and V travel packed in one int (U low, V from bit 16) exactly as libwebp's {@code LOAD_UV}.
     */
    private static void linePair(byte[] y, int topRow, int bottomRow, byte[] u, byte[] v, int topUv, int curUv,
            int uvw, int[] out, int len) {
        int top = topRow * len;
        int bottom = bottomRow * len;
        int lastPair = (len - 1) >> 1;
        int tl = load(u, v, topUv);
        int l = load(u, v, curUv);
        int uv0 = (3 * tl + l + 0x00020002) >>> 2;
        out[top] = rgb(y[top], uv0);
        if (bottomRow >= 0) {
            uv0 = (3 * l + tl + 0x00020002) >>> 2;
            out[bottom] = rgb(y[bottom], uv0);
        }
        for (int x = 1; x <= lastPair; x++) {
            int t = load(u, v, topUv + x);
            int c = load(u, v, curUv + x);
            int avg = tl + t + l + c + 0x00080008;
            int diag12 = (avg + 2 * (t + l)) >>> 3;
            int diag03 = (avg + 2 * (tl + c)) >>> 3;
            out[top + 2 * x - 1] = rgb(y[top + 2 * x - 1], (diag12 + tl) >>> 1);
            out[top + 2 * x] = rgb(y[top + 2 * x], (diag03 + t) >>> 1);
            if (bottomRow >= 0) {
                out[bottom + 2 * x - 1] = rgb(y[bottom + 2 * x - 1], (diag03 + l) >>> 1);
                out[bottom + 2 * x] = rgb(y[bottom + 2 * x], (diag12 + c) >>> 1);
            }
            tl = t;
            l = c;
        }
        if ((len & 1) == 0) {
            uv0 = (3 * tl + l + 0x00020002) >>> 2;
            out[top + len - 1] = rgb(y[top + len - 1], uv0);
            if (bottomRow >= 0) {
                uv0 = (3 * l + tl + 0x00020002) >>> 2;
                out[bottom + len - 1] = rgb(y[bottom + len - 1], uv0);
            }
        }
    }

    private static int load(byte[] u, byte[] v, int i) {
        return (u[i] & 0xFF) | (v[i] & 0xFF) << 16;
    }

    /** {@code VP8YuvToRgb} on a packed U/V pair; only the low 8 bits of each half are used. */
    private static int rgb(byte luma, int uv) {
        int yy = luma & 0xFF;
        int uu = uv & 0xFF;
        int vv = (uv >>> 16) & 0xFF;
        int r = clip8(multHi(yy, 19077) + multHi(vv, 26149) - 14234);
        int g = clip8(multHi(yy, 19077) - multHi(uu, 6419) - multHi(vv, 13320) + 8708);
        int b = clip8(multHi(yy, 19077) + multHi(uu, 33050) - 17685);
        return 0xFF000000 | r << 16 | g << 8 | b;
    }

    private static int multHi(int value, int coeff) {
        return (value * coeff) >> 8;
    }

    private static int clip8(int value) {
        return (value & ~YUV_MASK2) == 0 ? value >> YUV_FIX2 : value < 0 ? 0 : 255;
    }
}
