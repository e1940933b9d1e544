package org.pastiche.imaging;

/**
 * Good-quality resizing: downscaling averages every source pixel under each target pixel (area
 * filter, premultiplied so that transparent pixels do not darken edges), streaming one source row
 * at a time so that memory stays at a few target rows; upscaling is bilinear.
 */
public final class Resize {
    private Resize() {}

    /** Scales down so that the longer side is at most {@code maxLongSide}; returns {@code image} if it fits. */
    public static RgbaImage fitLongSide(RgbaImage image, int maxLongSide) {
        int side = Math.max(image.width(), image.height());
        if (side <= maxLongSide) {
            return image;
        }
        double s = (double) maxLongSide / side;
        return resize(image, Math.max(1, (int) Math.round(image.width() * s)),
                Math.max(1, (int) Math.round(image.height() * s)));
    }

    /** Scales (up or down) to about {@code pixels} pixels, keeping the aspect ratio. */
    public static RgbaImage toPixelCount(RgbaImage image, long pixels) {
        double s = Math.sqrt((double) pixels / image.pixelCount());
        return resize(image, Math.max(1, (int) Math.round(image.width() * s)),
                Math.max(1, (int) Math.round(image.height() * s)));
    }

    public static RgbaImage resize(RgbaImage image, int width, int height) {
        if (width == image.width() && height == image.height()) {
            return image;
        }
        if (width <= image.width() && height <= image.height()) {
            return areaDown(image, width, height);
        }
        return bilinear(image, width, height);
    }

    private static RgbaImage areaDown(RgbaImage img, int nw, int nh) {
        int w = img.width();
        int h = img.height();
        int[] src = img.argb();
        // Horizontal taps: for every target column, the first source column and the weights of the covered ones.
        double sx = (double) w / nw;
        int[] first = new int[nw];
        int[] count = new int[nw];
        float[][] weights = new float[nw][];
        for (int ox = 0; ox < nw; ox++) {
            double a = ox * sx;
            double b = Math.min(w, (ox + 1) * sx);
            int x0 = (int) Math.floor(a);
            int x1 = Math.min(w, (int) Math.ceil(b - 1e-9));
            first[ox] = x0;
            count[ox] = x1 - x0;
            weights[ox] = new float[x1 - x0];
            for (int x = x0; x < x1; x++) {
                weights[ox][x - x0] = (float) ((Math.min(b, x + 1) - Math.max(a, x)) / sx);
            }
        }
        double sy = (double) h / nh;
        float[] row = new float[nw * 4];
        float[] cur = new float[nw * 4];
        float[] next = new float[nw * 4];
        int[] out = new int[nw * nh];
        int curRow = 0;
        for (int y = 0; y < h && curRow < nh; y++) {
            int base = y * w;
            for (int ox = 0; ox < nw; ox++) {
                float r = 0;
                float g = 0;
                float b = 0;
                float al = 0;
                float[] wt = weights[ox];
                int x0 = base + first[ox];
                for (int i = 0, n = count[ox]; i < n; i++) {
                    int p = src[x0 + i];
                    float a = (p >>> 24) * wt[i];
                    al += a;
                    r += ((p >> 16) & 0xFF) * a;
                    g += ((p >> 8) & 0xFF) * a;
                    b += (p & 0xFF) * a;
                }
                int k = ox * 4;
                row[k] = r;
                row[k + 1] = g;
                row[k + 2] = b;
                row[k + 3] = al;
            }
            // This source row covers [y, y+1); spread it over the (at most two) target rows it touches.
            for (int oy = curRow; oy <= curRow + 1 && oy < nh; oy++) {
                double overlap = Math.min(y + 1, (oy + 1) * sy) - Math.max(y, oy * sy);
                if (overlap <= 0) {
                    continue;
                }
                float f = (float) (overlap / sy);
                float[] acc = oy == curRow ? cur : next;
                for (int i = 0; i < acc.length; i++) {
                    acc[i] += row[i] * f;
                }
            }
            while (curRow < nh && (curRow + 1) * sy <= y + 1 + 1e-9) {
                emit(cur, out, curRow * nw, nw);
                float[] t = cur;
                cur = next;
                next = t;
                java.util.Arrays.fill(next, 0f);
                curRow++;
            }
        }
        if (curRow < nh) {
            emit(cur, out, curRow * nw, nw);
        }
        return new RgbaImage(nw, nh, out);
    }

    private static void emit(float[] acc, int[] out, int offset, int nw) {
        for (int ox = 0; ox < nw; ox++) {
            int k = ox * 4;
            float a = acc[k + 3];
            int px;
            if (a <= 0f) {
                px = 0;
            } else {
                int r = clamp8(acc[k] / a);
                int g = clamp8(acc[k + 1] / a);
                int b = clamp8(acc[k + 2] / a);
                px = clamp8(a) << 24 | r << 16 | g << 8 | b;
            }
            out[offset + ox] = px;
        }
    }

    private static RgbaImage bilinear(RgbaImage img, int nw, int nh) {
        int w = img.width();
        int h = img.height();
        int[] src = img.argb();
        int[] out = new int[nw * nh];
        double sx = (double) w / nw;
        double sy = (double) h / nh;
        for (int oy = 0; oy < nh; oy++) {
            double fy = Math.max(0, Math.min(h - 1, (oy + 0.5) * sy - 0.5));
            int y0 = (int) fy;
            int y1 = Math.min(h - 1, y0 + 1);
            double ty = fy - y0;
            for (int ox = 0; ox < nw; ox++) {
                double fx = Math.max(0, Math.min(w - 1, (ox + 0.5) * sx - 0.5));
                int x0 = (int) fx;
                int x1 = Math.min(w - 1, x0 + 1);
                double tx = fx - x0;
                int p00 = src[y0 * w + x0];
                int p01 = src[y0 * w + x1];
                int p10 = src[y1 * w + x0];
                int p11 = src[y1 * w + x1];
                int px = 0;
                for (int shift = 0; shift <= 24; shift += 8) {
                    double top = ((p00 >>> shift) & 0xFF) * (1 - tx) + ((p01 >>> shift) & 0xFF) * tx;
                    double bot = ((p10 >>> shift) & 0xFF) * (1 - tx) + ((p11 >>> shift) & 0xFF) * tx;
                    px |= clamp8((float) (top * (1 - ty) + bot * ty)) << shift;
                }
                out[oy * nw + ox] = px;
            }
        }
        return new RgbaImage(nw, nh, out);
    }

    static int clamp8(float v) {
        int i = Math.round(v);
        return i < 0 ? 0 : Math.min(255, i);
    }
}
