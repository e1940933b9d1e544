package org.pastiche.imaging;

/** Image comparisons for tests and benchmarks. */
public final class ImageMetrics {
    private ImageMetrics() {}

    /** Peak signal-to-noise ratio over R, G and B in dB; infinite for identical images. */
    public static double psnr(RgbaImage a, RgbaImage b) {
        double mse = meanSquaredError(a, b);
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }

    public static double meanSquaredError(RgbaImage a, RgbaImage b) {
        requireSameSize(a, b);
        int[] pa = a.argb();
        int[] pb = b.argb();
        double sum = 0;
        for (int i = 0; i < pa.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                int d = ((pa[i] >> shift) & 0xFF) - ((pb[i] >> shift) & 0xFF);
                sum += d * d;
            }
        }
        return sum / (3.0 * pa.length);
    }

    /** The largest difference of any R, G or B value. */
    public static int maxAbsDifference(RgbaImage a, RgbaImage b) {
        requireSameSize(a, b);
        int[] pa = a.argb();
        int[] pb = b.argb();
        int max = 0;
        for (int i = 0; i < pa.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                max = Math.max(max, Math.abs(((pa[i] >> shift) & 0xFF) - ((pb[i] >> shift) & 0xFF)));
            }
        }
        return max;
    }

    /** The share of pixels that are exactly the same (what counts for a style snapped to a palette). */
    public static double sameShare(RgbaImage a, RgbaImage b) {
        requireSameSize(a, b);
        int[] pa = a.argb();
        int[] pb = b.argb();
        int same = 0;
        for (int i = 0; i < pa.length; i++) {
            same += pa[i] == pb[i] ? 1 : 0;
        }
        return same / (double) pa.length;
    }

    private static void requireSameSize(RgbaImage a, RgbaImage b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new IllegalArgumentException("sizes differ: " + a.width() + "x" + a.height() + " vs "
                    + b.width() + "x" + b.height());
        }
    }
}
