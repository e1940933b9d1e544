package org.pastiche.imaging;

/** Applies an EXIF orientation (1..8) so that the image is shown upright. */
public final class Orientation {
    private Orientation() {}

    /** True if the orientation swaps width and height (5..8). */
    public static boolean swapsAxes(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    /** Returns the upright image; {@code image} itself for orientation 1 or unknown values. */
    public static RgbaImage apply(RgbaImage image, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return image;
        }
        int w = image.width();
        int h = image.height();
        int[] src = image.argb();
        boolean swap = swapsAxes(orientation);
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        int[] dst = new int[src.length];
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                int dx;
                int dy;
                switch (orientation) {
                    case 2 -> { dx = w - 1 - x; dy = y; }          // mirror horizontal
                    case 3 -> { dx = w - 1 - x; dy = h - 1 - y; }  // rotate 180
                    case 4 -> { dx = x; dy = h - 1 - y; }          // mirror vertical
                    case 5 -> { dx = y; dy = x; }                  // transpose
                    case 6 -> { dx = h - 1 - y; dy = x; }          // rotate 90 clockwise
                    case 7 -> { dx = h - 1 - y; dy = w - 1 - x; }  // transverse
                    default -> { dx = y; dy = w - 1 - x; }         // 8: rotate 90 counter-clockwise
                }
                dst[dy * ow + dx] = src[row + x];
            }
        }
        return new RgbaImage(ow, oh, dst);
    }
}
