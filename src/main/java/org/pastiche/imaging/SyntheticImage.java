package org.pastiche.imaging;

import java.util.SplittableRandom;

/** Synthetic pictures for tests and benchmarks: deterministic, with edges, gradients and grain like a photo. */
public final class SyntheticImage {
    private SyntheticImage() {}

    public static RgbaImage photoLike(int width, int height, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] px = new int[width * height];
        double cx = width * 0.6;
        double cy = height * 0.4;
        double radius = Math.min(width, height) * 0.3;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double u = (double) x / width;
                double v = (double) y / height;
                double r = 40 + 160 * u;
                double g = 60 + 120 * v;
                double b = 120 + 80 * Math.sin(6.283 * (u + v));
                if (Math.hypot(x - cx, y - cy) < radius) {
                    r = 230 - 60 * v;
                    g = 190;
                    b = 40;
                }
                if (((x / 37) + (y / 53)) % 7 == 0) {
                    r *= 0.5;
                    g *= 0.5;
                    b *= 0.5;
                }
                int n = rnd.nextInt(-12, 13);
                px[y * width + x] = 0xFF000000 | c(r + n) << 16 | c(g + n) << 8 | c(b + n);
            }
        }
        return new RgbaImage(width, height, px);
    }

    private static int c(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
