package org.pastiche.imaging;

import org.pastiche.core.CancellationToken;

/**
 * Brings a low-resolution result (a painting computed on a scaled-down copy of a photo) to the
 * photo's full resolution, guided by the full-size photo, so that it is sharp where the photo is
 * sharp and stays the low-resolution painting everywhere else.
 *
 * <p>A guided-filter detail transfer. At low resolution, in a (2r+1)^2 window around each pixel,
 * every colour channel of the result is fitted as a linear function of the guide's luminance:
 * {@code a_c = cov(Y, p_c) / (var(Y) + eps)} (the guided filter's coefficient, averaged once more
 * over the window). At full resolution every output pixel is the low-resolution result upsampled
 * (bilinear) plus {@code detail * a_c} times the photo's own detail there, the full-size luminance
 * minus the low-resolution copy's luminance upsampled: what the copy lost. Where the painting
 * follows the photo's light (edges the network kept), the photo's full-resolution edge comes back
 * with the painting's colours; where it does not (strokes, flat paint) {@code a} is about 0 and the
 * painting is only upsampled; where the photo is flat the detail is 0 and the output equals the
 * low-resolution result upsampled. Scaled back down to the low resolution, the output is the
 * low-resolution result again (the added detail has no low frequencies).
 *
 * <p>Memory: the output, and seven float planes of the low resolution (about 28 bytes a low pixel);
 * the full-size guide is read row by row. Thread-safe (no state besides the parameters).
 */
public final class GuidedUpsampler {
    /**
     * Radius 2 (5 x 5 low pixels), edge level 0.04 (eps = (0.04 * 255)^2), full detail, consistent:
     * see docs/engine.md, "Stroke size".
     */
    public static final GuidedUpsampler DEFAULT = new GuidedUpsampler(2, 0.04 * 255, 1.0, true);

    /** Coefficients beyond this are clamped: a steeper fit is noise in a nearly flat window. */
    private static final float MAX_GAIN = 3f;

    private final int radius;
    private final float eps;
    private final float detail;
    private final boolean consistent;

    /**
     * @param radius window radius in low-resolution pixels (>= 1)
     * @param edgeLevel luminance deviation (0..255 scale) below which a window counts as flat: the
     *        regulariser {@code eps = edgeLevel^2}
     * @param detail how much of the photo's detail is transferred (0 = no detail: only upsampling)
     * @param consistent upsample so that scaling the output back down (area filter) gives the
     *        low-resolution result again, instead of plain bilinear (which blurs the painting's
     *        finest strokes: scaled back down, a plain bilinear 4x upsampling of a candy painting
     *        is 0.37 away from it in style distance)
     */
    public GuidedUpsampler(int radius, double edgeLevel, double detail, boolean consistent) {
        if (radius < 1 || !(edgeLevel > 0) || !(detail >= 0)) {
            throw new IllegalArgumentException("radius " + radius + ", edge level " + edgeLevel + ", detail " + detail);
        }
        this.radius = radius;
        this.eps = (float) (edgeLevel * edgeLevel);
        this.detail = (float) detail;
        this.consistent = consistent;
    }

    public int radius() {
        return radius;
    }

    public double detail() {
        return detail;
    }

    /**
     * @param low the low-resolution result
     * @param lowGuide the photo at the low resolution (what the result was computed from)
     * @param guide the photo at full resolution: the output has its size and its alpha
     */
    public RgbaImage upsample(RgbaImage low, RgbaImage lowGuide, RgbaImage guide, CancellationToken cancel) {
        int lw = low.width();
        int lh = low.height();
        if (lowGuide.width() != lw || lowGuide.height() != lh) {
            throw new IllegalArgumentException("low-resolution guide " + lowGuide.width() + "x" + lowGuide.height()
                    + " does not match the result " + lw + "x" + lh);
        }
        int n = lw * lh;
        float[] y = new float[n];
        float[][] p = {new float[n], new float[n], new float[n]};
        int[] lg = lowGuide.argb();
        int[] lr = low.argb();
        for (int i = 0; i < n; i++) {
            y[i] = luma(lg[i]);
            int q = lr[i];
            p[0][i] = (q >> 16) & 0xFF;
            p[1][i] = (q >> 8) & 0xFF;
            p[2][i] = q & 0xFF;
        }
        float[][] a = coefficients(y, p, lw, lh, cancel);
        if (consistent) {
            Axis ax = new Axis(lw, guide.width());
            Axis ay = new Axis(lh, guide.height());
            for (float[] plane : new float[][] {p[0], p[1], p[2], y}) {
                cancel.throwIfCancelled();
                prefilter(plane, lw, lh, ax, ay);
            }
        }
        return transfer(p, y, a, lw, lh, guide, cancel);
    }

    static float luma(int argb) {
        return 0.299f * ((argb >> 16) & 0xFF) + 0.587f * ((argb >> 8) & 0xFF) + 0.114f * (argb & 0xFF);
    }

    /** Guided-filter coefficients a_c, box-averaged once more (as the guided filter averages them). */
    private float[][] coefficients(float[] y, float[][] p, int w, int h, CancellationToken cancel) {
        int n = w * h;
        float[] yy = new float[n];
        for (int i = 0; i < n; i++) {
            yy[i] = y[i] * y[i];
        }
        float[] my = box(y, w, h);
        float[] myy = box(yy, w, h);
        yy = null;
        float[][] a = new float[3][];
        float[] tmp = new float[n];
        for (int c = 0; c < 3; c++) {
            cancel.throwIfCancelled();
            float[] pc = p[c];
            for (int i = 0; i < n; i++) {
                tmp[i] = y[i] * pc[i];
            }
            float[] myp = box(tmp, w, h);
            float[] mp = box(pc, w, h);
            float[] ac = new float[n];
            for (int i = 0; i < n; i++) {
                float var = Math.max(0f, myy[i] - my[i] * my[i]);
                float cov = myp[i] - my[i] * mp[i];
                float g = cov / (var + eps);
                ac[i] = Math.max(-MAX_GAIN, Math.min(MAX_GAIN, g));
            }
            a[c] = box(ac, w, h);
        }
        return a;
    }

    /** Mean over the (2r+1)^2 window clipped to the image (separable running sums, in double). */
    float[] box(float[] src, int w, int h) {
        float[] rows = new float[src.length];
        int r = radius;
        for (int yy = 0; yy < h; yy++) {
            int base = yy * w;
            double sum = 0;
            int lo = 0;
            int hi = -1;
            for (int x = 0; x < w; x++) {
                int want = Math.min(w - 1, x + r);
                while (hi < want) {
                    sum += src[base + ++hi];
                }
                while (lo < x - r) {
                    sum -= src[base + lo++];
                }
                rows[base + x] = (float) (sum / (hi - lo + 1));
            }
        }
        float[] out = new float[src.length];
        double[] col = new double[w];
        int lo = 0;
        int hi = -1;
        for (int yy = 0; yy < h; yy++) {
            int want = Math.min(h - 1, yy + r);
            while (hi < want) {
                hi++;
                for (int x = 0; x < w; x++) {
                    col[x] += rows[hi * w + x];
                }
            }
            while (lo < yy - r) {
                for (int x = 0; x < w; x++) {
                    col[x] -= rows[lo * w + x];
                }
                lo++;
            }
            int count = hi - lo + 1;
            for (int x = 0; x < w; x++) {
                out[yy * w + x] = (float) (col[x] / count);
            }
        }
        return out;
    }

    private RgbaImage transfer(float[][] p, float[] ylow, float[][] a, int lw, int lh, RgbaImage guide,
            CancellationToken cancel) {
        int w = guide.width();
        int h = guide.height();
        int[] src = guide.argb();
        int[] out = new int[src.length];
        // Bilinear taps with pixel centres aligned, as Resize's bilinear upscaling.
        int[] x0 = new int[w];
        int[] x1 = new int[w];
        float[] tx = new float[w];
        for (int x = 0; x < w; x++) {
            double f = tap(x, lw, w);
            x0[x] = (int) f;
            x1[x] = Math.min(lw - 1, x0[x] + 1);
            tx[x] = (float) (f - x0[x]);
        }
        float[] pr = p[0];
        float[] pg = p[1];
        float[] pb = p[2];
        float[] a0 = a[0];
        float[] a1 = a[1];
        float[] a2 = a[2];
        for (int yy = 0; yy < h; yy++) {
            if ((yy & 63) == 0) {
                cancel.throwIfCancelled();
            }
            double f = tap(yy, lh, h);
            int r0 = (int) f;
            int r1 = Math.min(lh - 1, r0 + 1);
            float ty = (float) (f - r0);
            int b0 = r0 * lw;
            int b1 = r1 * lw;
            int row = yy * w;
            for (int x = 0; x < w; x++) {
                int i00 = b0 + x0[x];
                int i01 = b0 + x1[x];
                int i10 = b1 + x0[x];
                int i11 = b1 + x1[x];
                float u = tx[x];
                float w00 = (1 - u) * (1 - ty);
                float w01 = u * (1 - ty);
                float w10 = (1 - u) * ty;
                float w11 = u * ty;
                int s = src[row + x];
                float d = detail * (luma(s) - (ylow[i00] * w00 + ylow[i01] * w01 + ylow[i10] * w10 + ylow[i11] * w11));
                float r = pr[i00] * w00 + pr[i01] * w01 + pr[i10] * w10 + pr[i11] * w11
                        + d * (a0[i00] * w00 + a0[i01] * w01 + a0[i10] * w10 + a0[i11] * w11);
                float g = pg[i00] * w00 + pg[i01] * w01 + pg[i10] * w10 + pg[i11] * w11
                        + d * (a1[i00] * w00 + a1[i01] * w01 + a1[i10] * w10 + a1[i11] * w11);
                float b = pb[i00] * w00 + pb[i01] * w01 + pb[i10] * w10 + pb[i11] * w11
                        + d * (a2[i00] * w00 + a2[i01] * w01 + a2[i10] * w10 + a2[i11] * w11);
                out[row + x] = (s & 0xFF000000) | Resize.clamp8(r) << 16 | Resize.clamp8(g) << 8 | Resize.clamp8(b);
            }
        }
        return new RgbaImage(w, h, out);
    }

    /** Where full-resolution pixel {@code x} samples the low resolution (centres aligned, clamped). */
    private static double tap(int x, int low, int full) {
        return Math.max(0, Math.min(low - 1, (x + 0.5) * low / full - 0.5));
    }

    /**
     * Along one axis, bilinear upsampling from {@code low} to {@code full} pixels followed by the
     * area filter back down is a tridiagonal {@code low x low} matrix (each low cell sees the
     * bilinear taps of its own and its two neighbours); its rows, for solving it.
     */
    static final class Axis {
        final double[] sub;
        final double[] diag;
        final double[] sup;

        Axis(int low, int full) {
            sub = new double[low];
            diag = new double[low];
            sup = new double[low];
            double k = (double) full / low;
            for (int x = 0; x < full; x++) {
                double f = tap(x, low, full);
                int x0 = (int) f;
                int x1 = Math.min(low - 1, x0 + 1);
                double t = f - x0;
                // Cells of the area filter that pixel x overlaps, and by how much.
                int j0 = (int) Math.floor(x / k);
                for (int j = Math.max(0, j0 - 1); j <= Math.min(low - 1, j0 + 1); j++) {
                    double ov = Math.min(x + 1, (j + 1) * k) - Math.max(x, j * k);
                    if (ov <= 0) {
                        continue;
                    }
                    add(j, x0, ov * (1 - t) / k);
                    add(j, x1, ov * t / k);
                }
            }
        }

        private void add(int row, int col, double v) {
            if (col == row) {
                diag[row] += v;
            } else if (col == row - 1) {
                sub[row] += v;
            } else if (col == row + 1) {
                sup[row] += v;
            } else {
                throw new IllegalStateException("not tridiagonal: " + row + ", " + col);
            }
        }

        /** Solves the system in place on {@code n} values {@code stride} apart from {@code off} (Thomas). */
        void solve(float[] v, int off, int stride, double[] c, double[] d) {
            int n = diag.length;
            c[0] = sup[0] / diag[0];
            d[0] = v[off] / diag[0];
            for (int i = 1; i < n; i++) {
                double m = diag[i] - sub[i] * c[i - 1];
                c[i] = sup[i] / m;
                d[i] = (v[off + i * stride] - sub[i] * d[i - 1]) / m;
            }
            v[off + (n - 1) * stride] = (float) d[n - 1];
            for (int i = n - 2; i >= 0; i--) {
                d[i] -= c[i] * d[i + 1];
                v[off + i * stride] = (float) d[i];
            }
        }
    }

    /** Replaces {@code plane} by the values whose bilinear upsampling scales back down to it. */
    private static void prefilter(float[] plane, int w, int h, Axis ax, Axis ay) {
        double[] c = new double[Math.max(w, h)];
        double[] d = new double[Math.max(w, h)];
        for (int yy = 0; yy < h; yy++) {
            ax.solve(plane, yy * w, 1, c, d);
        }
        for (int x = 0; x < w; x++) {
            ay.solve(plane, x, w, c, d);
        }
    }
}
