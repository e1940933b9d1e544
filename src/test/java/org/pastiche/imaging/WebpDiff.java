package org.pastiche.imaging;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Per-channel differences between a decode and a reference (issue 14, lossy WebP). */
record WebpDiff(double[] mean, int[] max, double signedGreen, int maxAlpha) {
    static WebpDiff of(RgbaImage got, RgbaImage want) {
        if (got.width() != want.width() || got.height() != want.height()) {
            throw new IllegalArgumentException(got.width() + "x" + got.height() + " vs " + want.width() + "x" + want.height());
        }
        double[] sum = new double[3];
        int[] max = new int[3];
        long signed = 0;
        int maxAlpha = 0;
        int[] a = got.argb();
        int[] b = want.argb();
        for (int i = 0; i < a.length; i++) {
            for (int c = 0; c < 3; c++) {
                int d = ((a[i] >> (16 - 8 * c)) & 0xFF) - ((b[i] >> (16 - 8 * c)) & 0xFF);
                sum[c] += Math.abs(d);
                max[c] = Math.max(max[c], Math.abs(d));
                if (c == 1) {
                    signed += d;
                }
            }
            maxAlpha = Math.max(maxAlpha, Math.abs((a[i] >>> 24) - (b[i] >>> 24)));
        }
        double n = a.length;
        return new WebpDiff(new double[] {sum[0] / n, sum[1] / n, sum[2] / n}, max, signed / n, maxAlpha);
    }

    double meanAll() {
        return (mean[0] + mean[1] + mean[2]) / 3;
    }

    int maxAll() {
        return Math.max(max[0], Math.max(max[1], max[2]));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "mean R %.3f G %.3f B %.3f  max %d %d %d  green cast %+.3f  alpha max %d",
                mean[0], mean[1], mean[2], max[0], max[1], max[2], signedGreen, maxAlpha);
    }

    /** A PNG read as is (no colour management: the references are plain sRGB PNGs). */
    static RgbaImage png(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        return new RgbaImage(img.getWidth(), img.getHeight(), ImageDecoder.toArgb(img));
    }

    /** The decode before issue 14: TwelveMonkeys' WebP reader (its VP8 path), upright per EXIF. */
    static RgbaImage twelveMonkeys(Path file) throws Exception {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                BufferedImage img = reader.read(0);
                RgbaImage raw = new RgbaImage(img.getWidth(), img.getHeight(), ImageDecoder.toArgb(img));
                return Orientation.apply(raw, ImageDecoder.orientation(file));
            } finally {
                reader.dispose();
            }
        }
    }
}
