package org.pastiche.imaging;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.ColorConvertOp;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a decoded PNG to sRGB the way browsers do: an embedded ICC profile (iCCP) first, then the
 * sRGB chunk (nothing to do), then gAMA and cHRM (a gamma curve and primaries) where no profile is
 * given. The JDK's PNG reader ignores all of these. Works in place, in bands of rows, so that the
 * extra memory is a few rows whatever the image size.
 */
final class PngColour {
    private static final Logger LOG = LoggerFactory.getLogger(PngColour.class);
    private static final int BAND_ROWS = 64;
    /** sRGB primaries and D65 white (x, y): white, red, green, blue, as in cHRM. */
    private static final double[] SRGB_CHRM = {0.3127, 0.3290, 0.64, 0.33, 0.30, 0.60, 0.15, 0.06};

    private PngColour() {}

    /**
     * @param gray whether the PNG is a gray image (a gray ICC profile applies to it; an RGB one does not)
     * @return whether the pixels were changed
     */
    static boolean toSrgb(Path file, RgbaImage image, ContainerScan.Result scan, boolean gray) {
        if (scan.icc() != null) {
            ICC_Profile profile;
            try {
                profile = ICC_Profile.getInstance(scan.icc());
            } catch (IllegalArgumentException e) {
                LOG.warn("{}: ignoring an unreadable embedded colour profile", file);
                profile = null;
            }
            if (profile != null) {
                int space = profile.getColorSpaceType();
                if (space == ColorSpace.TYPE_RGB && !gray || space == ColorSpace.TYPE_GRAY && gray) {
                    if (isSrgb(profile)) {
                        return false;
                    }
                    applyProfile(image, profile, gray);
                    return true;
                }
                LOG.warn("{}: ignoring an embedded colour profile that does not fit the image's colours", file);
            }
        }
        if (scan.srgb()) {
            return false;
        }
        double gamma = scan.gamma();
        double[] chrm = scan.chromaticities();
        if (chrm != null && !plausible(chrm)) {
            chrm = null;
        }
        boolean srgbGamma = gamma == 0 || Math.abs(gamma - 1 / 2.2) < 0.002;
        boolean srgbPrimaries = chrm == null || close(chrm, SRGB_CHRM, 0.002);
        if (srgbGamma && srgbPrimaries) {
            return false; // what every viewer assumes anyway
        }
        if (gamma < 0.05 || gamma > 20) {
            gamma = 0;
        }
        applyCurveAndPrimaries(image, gamma, gray ? null : chrm);
        return true;
    }

    private static boolean isSrgb(ICC_Profile p) {
        ICC_Profile srgb = ICC_Profile.getInstance(ColorSpace.CS_sRGB);
        return java.util.Arrays.equals(p.getData(), srgb.getData());
    }

    private static void applyProfile(RgbaImage image, ICC_Profile profile, boolean gray) {
        int w = image.width();
        int h = image.height();
        int[] argb = image.argb();
        int bands = gray ? 1 : 3;
        ColorConvertOp op = new ColorConvertOp(new ICC_ColorSpace(profile), ColorSpace.getInstance(ColorSpace.CS_sRGB), null);
        for (int y0 = 0; y0 < h; y0 += BAND_ROWS) {
            int rows = Math.min(BAND_ROWS, h - y0);
            WritableRaster src = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, rows, bands, null);
            WritableRaster dst = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, rows, 3, null);
            byte[] s = ((DataBufferByte) src.getDataBuffer()).getData();
            int base = y0 * w;
            int n = w * rows;
            for (int i = 0; i < n; i++) {
                int p = argb[base + i];
                if (gray) {
                    s[i] = (byte) (p & 0xFF);
                } else {
                    s[3 * i] = (byte) (p >> 16);
                    s[3 * i + 1] = (byte) (p >> 8);
                    s[3 * i + 2] = (byte) p;
                }
            }
            op.filter(src, dst);
            byte[] d = ((DataBufferByte) dst.getDataBuffer()).getData();
            for (int i = 0; i < n; i++) {
                argb[base + i] = (argb[base + i] & 0xFF000000) | (d[3 * i] & 0xFF) << 16 | (d[3 * i + 1] & 0xFF) << 8
                        | (d[3 * i + 2] & 0xFF);
            }
        }
    }

    /**
     * gAMA (the file's encoding exponent; 0 = the sRGB curve) and cHRM (null = sRGB primaries):
     * decode to linear light, convert the primaries through XYZ (Bradford-adapted to D65), encode
     * with the sRGB curve.
     */
    static void applyCurveAndPrimaries(RgbaImage image, double gamma, double[] chrm) {
        double[] decode = new double[256];
        for (int i = 0; i < 256; i++) {
            double v = i / 255.0;
            decode[i] = gamma > 0 ? Math.pow(v, 1 / gamma) : srgbToLinear(v);
        }
        double[][] m = chrm == null ? null : rgbToSrgbLinear(chrm);
        int levels = 4096;
        int[] encode = new int[levels + 1];
        for (int i = 0; i <= levels; i++) {
            encode[i] = (int) Math.round(255 * linearToSrgb(i / (double) levels));
        }
        int[] argb = image.argb();
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            double r = decode[(p >> 16) & 0xFF];
            double g = decode[(p >> 8) & 0xFF];
            double b = decode[p & 0xFF];
            if (m != null) {
                double r2 = m[0][0] * r + m[0][1] * g + m[0][2] * b;
                double g2 = m[1][0] * r + m[1][1] * g + m[1][2] * b;
                double b2 = m[2][0] * r + m[2][1] * g + m[2][2] * b;
                r = r2;
                g = g2;
                b = b2;
            }
            argb[i] = (p & 0xFF000000) | encode[idx(r, levels)] << 16 | encode[idx(g, levels)] << 8 | encode[idx(b, levels)];
        }
    }

    private static int idx(double v, int levels) {
        if (!(v > 0)) {
            return 0;
        }
        return v >= 1 ? levels : (int) Math.round(v * levels);
    }

    static double srgbToLinear(double v) {
        return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }

    static double linearToSrgb(double v) {
        return v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
    }

    private static boolean plausible(double[] c) {
        for (int i = 0; i < 8; i += 2) {
            if (!(c[i] > 0 && c[i] < 1 && c[i + 1] > 0 && c[i + 1] < 1 && c[i] + c[i + 1] <= 1.0001)) {
                return false;
            }
        }
        double[][] m = primaries(c);
        return Math.abs(det(m)) > 1e-6;
    }

    private static boolean close(double[] a, double[] b, double tol) {
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > tol) {
                return false;
            }
        }
        return true;
    }

    /** RGB (linear, these primaries) -> linear sRGB, with Bradford adaptation from their white to D65. */
    static double[][] rgbToSrgbLinear(double[] chrm) {
        double[][] toXyz = primaries(chrm);
        double[][] srgbToXyz = primaries(SRGB_CHRM);
        double[][] adapt = bradford(xyz(chrm[0], chrm[1]), xyz(SRGB_CHRM[0], SRGB_CHRM[1]));
        return mul(inv(srgbToXyz), mul(adapt, toXyz));
    }

    private static double[] xyz(double x, double y) {
        return new double[] {x / y, 1, (1 - x - y) / y};
    }

    /** The RGB -> XYZ matrix of cHRM values (white x, y, red x, y, green x, y, blue x, y). */
    private static double[][] primaries(double[] c) {
        double[][] p = new double[3][3];
        for (int k = 0; k < 3; k++) {
            double x = c[2 + 2 * k];
            double y = c[3 + 2 * k];
            p[0][k] = x / y;
            p[1][k] = 1;
            p[2][k] = (1 - x - y) / y;
        }
        double[] s = apply(inv(p), xyz(c[0], c[1]));
        for (int r = 0; r < 3; r++) {
            for (int k = 0; k < 3; k++) {
                p[r][k] *= s[k];
            }
        }
        return p;
    }

    private static double[][] bradford(double[] from, double[] to) {
        double[][] b = {{0.8951, 0.2664, -0.1614}, {-0.7502, 1.7135, 0.0367}, {0.0389, -0.0685, 1.0296}};
        double[] f = apply(b, from);
        double[] t = apply(b, to);
        double[][] d = {{t[0] / f[0], 0, 0}, {0, t[1] / f[1], 0}, {0, 0, t[2] / f[2]}};
        return mul(inv(b), mul(d, b));
    }

    private static double[] apply(double[][] m, double[] v) {
        double[] r = new double[3];
        for (int i = 0; i < 3; i++) {
            r[i] = m[i][0] * v[0] + m[i][1] * v[1] + m[i][2] * v[2];
        }
        return r;
    }

    private static double[][] mul(double[][] a, double[][] b) {
        double[][] r = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                r[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
            }
        }
        return r;
    }

    private static double det(double[][] m) {
        return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    }

    private static double[][] inv(double[][] m) {
        double d = det(m);
        double[][] r = new double[3][3];
        r[0][0] = (m[1][1] * m[2][2] - m[1][2] * m[2][1]) / d;
        r[0][1] = (m[0][2] * m[2][1] - m[0][1] * m[2][2]) / d;
        r[0][2] = (m[0][1] * m[1][2] - m[0][2] * m[1][1]) / d;
        r[1][0] = (m[1][2] * m[2][0] - m[1][0] * m[2][2]) / d;
        r[1][1] = (m[0][0] * m[2][2] - m[0][2] * m[2][0]) / d;
        r[1][2] = (m[0][2] * m[1][0] - m[0][0] * m[1][2]) / d;
        r[2][0] = (m[1][0] * m[2][1] - m[1][1] * m[2][0]) / d;
        r[2][1] = (m[0][1] * m[2][0] - m[0][0] * m[2][1]) / d;
        r[2][2] = (m[0][0] * m[1][1] - m[0][1] * m[1][0]) / d;
        return r;
    }
}
