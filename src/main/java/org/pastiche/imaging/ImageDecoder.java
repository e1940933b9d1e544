package org.pastiche.imaging;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import org.pastiche.core.PasticheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes image files into {@link RgbaImage}s: JPEG (RGB, gray, CMYK/YCCK), PNG (8/16-bit, gray,
 * palette, alpha), BMP, GIF (first frame), TIFF and WebP, upright per EXIF. Readers come from
 * ImageIO plus TwelveMonkeys (on the class path, registered by ImageIO's service loader), except
 * for still lossy WebP, which {@link LossyWebp} decodes as libwebp does.
 * The size is read from the header first so that huge images are refused before any pixel is
 * allocated. Every failure is a {@link PasticheException} naming the file and the reason.
 */
public final class ImageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(ImageDecoder.class);

    /** Enough for a 100 MP photo with room to spare; the int[] alone is 4 bytes a pixel. */
    public static final long DEFAULT_MAX_PIXELS = 150_000_000L;

    /**
     * ImageIO's set-up, made on first use only: a plain 8-bit RGB(A) PNG is read without ImageIO
     * ({@link #direct}), and a run that reads and writes such files never pays for the plugin scan
     * (41-69 ms of a process; docs/engine.md, "Sixth round").
     */
    static final class ImageIoSetup {
        static {
            // ImageIO caches in temp files by default; memory is faster and needs no writable temp dir.
            ImageIO.setUseCache(false);
            ImageIO.scanForPlugins();
        }

        private ImageIoSetup() {}

        static void ensure() {
            // the static initialiser has run
        }
    }

    /** How many files ImageIO opened here (for the tests: which path a file took). */
    static final java.util.concurrent.atomic.AtomicLong IMAGEIO_OPENED = new java.util.concurrent.atomic.AtomicLong();

    private final long maxPixels;

    public ImageDecoder() {
        this(DEFAULT_MAX_PIXELS);
    }

    public ImageDecoder(long maxPixels) {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive");
        }
        this.maxPixels = maxPixels;
    }

    public long maxPixels() {
        return maxPixels;
    }

    /** Reads the size, format and orientation without decoding pixels. */
    public ImageInfo readInfo(Path file) throws PasticheException {
        checkFile(file);
        ContainerScan.Result scan = ContainerScan.scan(file);
        try (ImageInputStream in = open(file)) {
            ImageReader reader = readerFor(file, in);
            try {
                return info(reader, scan);
            } finally {
                reader.dispose();
            }
        } catch (UnsupportedFormatException e) {
            throw new PasticheException(PasticheException.Reason.UNSUPPORTED_FORMAT, file + ": " + e.getMessage(), e);
        } catch (StackOverflowError e) {
            throw ContainerScan.hostile(file, "its structure is nested too deeply to read");
        } catch (IOException | RuntimeException e) {
            throw new PasticheException(PasticheException.Reason.CORRUPT_FILE, file + ": cannot read the image header (" + describe(e) + ")", e);
        }
    }

    /** Decodes the whole image (first frame), upright, as ARGB. */
    public RgbaImage decode(Path file) throws PasticheException {
        return decode(file, 0);
    }

    /**
     * Decodes a preview whose longer side is at most {@code maxLongSide}: the decoder skips rows
     * and columns while reading (so a 100 MP file never takes 400 MB for a thumbnail), keeping at
     * least twice the target resolution, and an area filter does the rest.
     */
    public RgbaImage decodePreview(Path file, int maxLongSide) throws PasticheException {
        if (maxLongSide < 1) {
            throw new IllegalArgumentException("maxLongSide must be positive");
        }
        return Resize.fitLongSide(decode(file, maxLongSide), maxLongSide);
    }

    private RgbaImage decode(Path file, int previewLongSide) throws PasticheException {
        checkFile(file);
        ContainerScan.Result scan = ContainerScan.scan(file);
        if (previewLongSide == 0) {
            // every file that FastPng takes is taken here (its header is all the size check needs)
            RgbaImage direct = direct(file, scan);
            if (direct != null) {
                return direct;
            }
        }
        ImageInfo info;
        BufferedImage image;
        StringBuilder fatalWarning = new StringBuilder();
        try (ImageInputStream in = open(file)) {
            ImageReader reader = readerFor(file, in);
            try {
                info = info(reader, scan);
                checkSize(file, info);
                if ("webp".equalsIgnoreCase(info.format())) {
                    int sw = reader.getWidth(0);
                    int sh = reader.getHeight(0);
                    RgbaImage lossy = LossyWebp.decode(file, reader, sw, sh);
                    if (lossy != null) {
                        return Orientation.apply(lossy, info.orientation());
                    }
                }
                // The JDK's JPEG reader only warns about a truncated file and fills the rest with grey.
                reader.addIIOReadWarningListener(new IIOReadWarningListener() {
                    @Override
                    public void warningOccurred(ImageReader source, String warning) {
                        String w = warning.toLowerCase(Locale.ROOT);
                        if (w.contains("premature end") || w.contains("truncat")) {
                            if (fatalWarning.length() == 0) {
                                fatalWarning.append(warning);
                            }
                        } else {
                            LOG.debug("{}: {}", file, warning);
                        }
                    }
                });
                ImageReadParam param = reader.getDefaultReadParam();
                int longSide = Math.max(info.width(), info.height());
                int step = previewLongSide > 0 ? longSide / (2 * previewLongSide) : 1;
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                image = reader.read(0, param);
            } finally {
                reader.dispose();
            }
        } catch (PasticheException e) {
            throw e;
        } catch (UnsupportedFormatException e) {
            throw new PasticheException(PasticheException.Reason.UNSUPPORTED_FORMAT, file + ": " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw new PasticheException(PasticheException.Reason.OUT_OF_MEMORY, file + ": not enough memory to decode the image", e);
        } catch (StackOverflowError e) {
            throw ContainerScan.hostile(file, "its structure is nested too deeply to read");
        } catch (IOException | RuntimeException e) {
            throw new PasticheException(PasticheException.Reason.CORRUPT_FILE, file + ": the file is truncated or corrupt (" + describe(e) + ")", e);
        }
        if (fatalWarning.length() > 0) {
            throw new PasticheException(PasticheException.Reason.CORRUPT_FILE, file + ": the file is truncated or corrupt (" + fatalWarning + ")");
        }
        RgbaImage raw = new RgbaImage(image.getWidth(), image.getHeight(), toArgb(image));
        boolean gray = image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && !(image.getColorModel() instanceof java.awt.image.IndexColorModel);
        image.flush();
        if ("png".equalsIgnoreCase(info.format())) {
            PngColour.toSrgb(file, raw, scan, gray);
        }
        return Orientation.apply(raw, info.orientation());
    }

    /**
     * A file whose first 33 bytes are the header of an 8-bit RGB(A) PNG that {@link FastPng} takes, read
     * without ImageIO: the size checked against the limit from that header before any pixel is allocated
     * (the numbers ImageIO's reader would find there), then {@link FastPng} decodes it, and the colour
     * chunks and EXIF orientation are applied as on the other path. Null where the header is another
     * file's or {@link FastPng} declines the file; the caller then reads it with ImageIO as before (the
     * same messages, the same pixels).
     */
    private RgbaImage direct(Path file, ContainerScan.Result scan) throws PasticheException {
        int[] size;
        try {
            size = FastPng.header(file);
        } catch (IOException | RuntimeException e) {
            return null; // ImageIO meets the same file and says what is wrong with it
        }
        if (size == null) {
            return null;
        }
        int orientation = scan.orientation();
        ImageInfo info = Orientation.swapsAxes(orientation)
                ? new ImageInfo(size[1], size[0], "png", orientation)
                : new ImageInfo(size[0], size[1], "png", orientation);
        checkSize(file, info);
        RgbaImage raw;
        try {
            raw = fastPng(file, size[0], size[1]);
        } catch (OutOfMemoryError e) {
            throw new PasticheException(PasticheException.Reason.OUT_OF_MEMORY, file + ": not enough memory to decode the image", e);
        }
        if (raw == null) {
            return null;
        }
        PngColour.toSrgb(file, raw, scan, false);
        return Orientation.apply(raw, info.orientation());
    }

    /**
     * An 8-bit RGB(A) PNG read directly ({@link FastPng}: three times faster than ImageIO's reader, the same
     * pixels); null for every other PNG, and where reading the file fails, so that ImageIO reads it as before.
     */
    private static RgbaImage fastPng(Path file, int width, int height) {
        try {
            int[] argb = FastPng.decode(file, width, height);
            return argb == null ? null : new RgbaImage(width, height, argb);
        } catch (IOException e) {
            LOG.debug("{}: not read directly ({}); ImageIO reads it", file, describe(e));
            return null;
        }
    }

    private void checkSize(Path file, ImageInfo info) throws PasticheException {
        if (info.pixelCount() > maxPixels) {
            throw new PasticheException(PasticheException.Reason.TOO_MANY_PIXELS, String.format(Locale.ROOT,
                    "%s: the image is too large (%d x %d = %.1f MP; the limit is %.1f MP)",
                    file, info.width(), info.height(), info.pixelCount() / 1e6, maxPixels / 1e6),
                    info.width(), info.height(), maxPixels / 1e6);
        }
    }

    private static void checkFile(Path file) throws PasticheException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new PasticheException(PasticheException.Reason.FILE_NOT_FOUND, file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new PasticheException(PasticheException.Reason.PERMISSION_DENIED, file
                    + ": permission denied (a folder on the way cannot be searched)", e);
        } catch (FileSystemException e) {
            String why = e.getReason() == null ? "" : e.getReason();
            if (why.toLowerCase(Locale.ROOT).contains("symbolic link")) {
                throw new PasticheException(PasticheException.Reason.SYMLINK_LOOP, file
                        + ": a symbolic link loop (too many levels of symbolic links)", e);
            }
            throw new PasticheException(PasticheException.Reason.FILE_UNREADABLE, file + ": cannot read the file ("
                    + (why.isEmpty() ? describe(e) : why) + ")", e);
        } catch (IOException e) {
            throw new PasticheException(PasticheException.Reason.FILE_UNREADABLE, file + ": cannot read the file (" + describe(e) + ")", e);
        }
        if (attrs.isDirectory()) {
            throw new PasticheException(PasticheException.Reason.NOT_A_FILE, file + ": is a folder, not an image file");
        }
        if (!attrs.isRegularFile()) {
            throw new PasticheException(PasticheException.Reason.NOT_A_FILE, file + ": not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new PasticheException(PasticheException.Reason.PERMISSION_DENIED, file + ": permission denied");
        }
        if (attrs.size() == 0) {
            throw new PasticheException(PasticheException.Reason.FILE_EMPTY, file + ": the file is empty");
        }
    }

    private static ImageInputStream open(Path file) throws IOException {
        ImageIoSetup.ensure();
        IMAGEIO_OPENED.incrementAndGet();
        ImageInputStream in = ImageIO.createImageInputStream(file.toFile());
        if (in == null) {
            throw new NoSuchFileException(file.toString());
        }
        return in;
    }

    private static ImageReader readerFor(Path file, ImageInputStream in) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new UnsupportedFormatException(file);
        }
        ImageReader reader = readers.next();
        reader.setInput(in, true, true);
        return reader;
    }

    private static ImageInfo info(ImageReader reader, ContainerScan.Result scan) throws IOException {
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        int orientation = scan.orientation();
        String format = reader.getFormatName();
        return Orientation.swapsAxes(orientation)
                ? new ImageInfo(h, w, format, orientation)
                : new ImageInfo(w, h, format, orientation);
    }

    /** EXIF orientation, 1 when absent or unreadable (a broken EXIF block should not lose the photo). */
    static int orientation(Path file) throws PasticheException {
        return ContainerScan.scan(file).orientation();
    }

    /**
     * Packs any decoded image into ARGB. Gray images are read from the raster, because
     * {@code getRGB} treats their colour space as linear and would brighten them.
     */
    static int[] toArgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] out = new int[Math.multiplyExact(w, h)];
        ColorModel cm = img.getColorModel();
        int type = img.getType();
        if ((type == BufferedImage.TYPE_INT_ARGB || type == BufferedImage.TYPE_INT_RGB)
                && img.getRaster().getDataBuffer() instanceof DataBufferInt db && db.getNumBanks() == 1
                && img.getRaster().getParent() == null) {
            int[] data = db.getData();
            int alpha = type == BufferedImage.TYPE_INT_RGB ? 0xFF000000 : 0;
            for (int i = 0; i < out.length; i++) {
                out[i] = data[i] | alpha;
            }
        } else if ((type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_4BYTE_ABGR)
                && img.getRaster().getDataBuffer() instanceof DataBufferByte db && db.getNumBanks() == 1
                && img.getRaster().getParent() == null
                && img.getRaster().getSampleModel() instanceof PixelInterleavedSampleModel sm
                && img.getRaster().getSampleModelTranslateX() == 0 && img.getRaster().getSampleModelTranslateY() == 0) {
            // JPEG and 8-bit RGB(A) PNG: the bytes as they are (getRGB converts pixel by pixel, ten times slower)
            byte[] data = db.getData();
            int[] off = sm.getBandOffsets();
            int ps = sm.getPixelStride();
            int ss = sm.getScanlineStride();
            boolean alpha = off.length == 4;
            for (int y = 0; y < h; y++) {
                int p = db.getOffset() + y * ss;
                int o = y * w;
                for (int x = 0; x < w; x++, p += ps) {
                    int a = alpha ? data[p + off[3]] & 0xFF : 0xFF;
                    out[o + x] = a << 24 | (data[p + off[0]] & 0xFF) << 16 | (data[p + off[1]] & 0xFF) << 8
                            | data[p + off[2]] & 0xFF;
                }
            }
        } else if (cm instanceof ComponentColorModel && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            Raster r = img.getRaster();
            int bands = r.getNumBands();
            int transfer = r.getTransferType();
            if (transfer == DataBuffer.TYPE_FLOAT || transfer == DataBuffer.TYPE_DOUBLE) {
                // Float samples are 0..1 (getPixels into int[] would truncate them all to 0 or 1).
                float[] row = new float[w * bands];
                for (int y = 0; y < h; y++) {
                    r.getPixels(0, y, w, 1, row);
                    for (int x = 0; x < w; x++) {
                        int g = unit8(row[x * bands]);
                        int a = bands > 1 ? unit8(row[x * bands + 1]) : 255;
                        out[y * w + x] = a << 24 | g << 16 | g << 8 | g;
                    }
                }
                return out;
            }
            int grayBits = cm.getComponentSize(0);
            int alphaBits = bands > 1 ? cm.getComponentSize(1) : 8;
            int[] row = new int[w * bands];
            for (int y = 0; y < h; y++) {
                r.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    int g = to8(row[x * bands], grayBits);
                    int a = bands > 1 ? to8(row[x * bands + 1], alphaBits) : 255;
                    out[y * w + x] = a << 24 | g << 16 | g << 8 | g;
                }
            }
        } else {
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, out, y * w, w);
            }
        }
        return out;
    }

    /** A 0..1 sample (clamped; NaN as 0) to 0..255. */
    private static int unit8(float v) {
        if (!(v > 0)) {
            return 0;
        }
        return v >= 1 ? 255 : Math.round(v * 255);
    }

    private static int to8(int v, int bits) {
        if (bits == 8) {
            return v & 0xFF;
        }
        long max = (1L << bits) - 1;
        return (int) ((v * 255L + max / 2) / max);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        String name = e.getClass().getSimpleName();
        return m == null || m.isBlank() ? name : m;
    }

    /** No ImageIO reader recognised the content. */
    private static final class UnsupportedFormatException extends IOException {
        UnsupportedFormatException(Path file) {
            super("not a supported image format: JPEG, PNG, BMP, GIF, TIFF or WebP expected");
        }
    }
}
