package org.pastiche.imaging;

import java.util.Objects;

/**
 * An image in memory as packed 8-bit ARGB ints (0xAARRGGBB), row-major. The pixel array is shared,
 * not copied: treat it as read-only once published.
 */
public record RgbaImage(int width, int height, int[] argb) {
    public RgbaImage {
        Objects.requireNonNull(argb, "argb");
        if (width <= 0 || height <= 0 || (long) width * height != argb.length) {
            throw new IllegalArgumentException("bad size " + width + "x" + height + " for " + argb.length + " pixels");
        }
    }

    public static RgbaImage blank(int width, int height) {
        return new RgbaImage(width, height, new int[Math.multiplyExact(width, height)]);
    }

    public int get(int x, int y) {
        return argb[y * width + x];
    }

    public long pixelCount() {
        return (long) width * height;
    }

    /** True if any pixel is not fully opaque. */
    public boolean hasAlpha() {
        for (int p : argb) {
            if ((p >>> 24) != 0xFF) {
                return true;
            }
        }
        return false;
    }
}
