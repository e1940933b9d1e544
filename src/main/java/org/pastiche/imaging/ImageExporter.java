package org.pastiche.imaging;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.pastiche.core.PasticheException;

/**
 * Writes PNG or JPEG (chosen by the file extension) atomically: the image goes to a temporary
 * file in the target's folder, which is then renamed over the target, so that a reader never
 * sees half a file and a failed export leaves nothing behind. Refuses to write over the files it
 * is told to protect (the inputs).
 */
public final class ImageExporter {
    public static final float DEFAULT_JPEG_QUALITY = 0.92f;

    /** Output formats, by file extension. */
    public enum Format {
        PNG, JPEG;

        public static Optional<Format> forPath(Path file) {
            String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".png")) {
                return Optional.of(PNG);
            }
            if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
                return Optional.of(JPEG);
            }
            return Optional.empty();
        }
    }

    private ImageExporter() {}

    public static void write(RgbaImage image, Path target) throws PasticheException {
        write(image, target, DEFAULT_JPEG_QUALITY, List.of());
    }

    /**
     * @param jpegQuality 0..1, used for JPEG only
     * @param protect     files that must never be written over (compared as the same file on disk)
     */
    public static void write(RgbaImage image, Path target, float jpegQuality, Collection<Path> protect)
            throws PasticheException {
        Format format = Format.forPath(target).orElseThrow(() -> new PasticheException(PasticheException.Reason.UNSUPPORTED_OUTPUT_TYPE,
                target + ": unsupported output type; use .png, .jpg or .jpeg"));
        if (!(jpegQuality > 0f && jpegQuality <= 1f)) {
            throw new IllegalArgumentException("JPEG quality must be in (0, 1], was " + jpegQuality);
        }
        for (Path p : protect) {
            if (sameFile(p, target)) {
                throw new PasticheException(PasticheException.Reason.OVERWRITES_INPUT, target + ": refusing to write over an input file");
            }
        }
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new PasticheException(PasticheException.Reason.FOLDER_MISSING, target + ": the folder " + dir + " does not exist", dir);
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
            readableByAll(tmp);
            try (OutputStream os = Files.newOutputStream(tmp);
                    ImageOutputStream ios = ImageIO.createImageOutputStream(os)) {
                if (format == Format.PNG) {
                    writeWith("png", image.hasAlpha() ? wrap(image, true) : wrap(image, false), ios, null);
                } else {
                    writeWith("jpeg", wrap(image.hasAlpha() ? overWhite(image) : image, false), ios, jpegQuality);
                }
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException | RuntimeException e) {
            throw new PasticheException(PasticheException.Reason.WRITE_FAILED, target + ": cannot write the image (" + e.getMessage() + ")", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temp file is hidden and named after the target
                }
            }
        }
    }

    /** Temp files are created owner-only; an exported picture should be readable like any other file. */
    private static void readableByAll(Path file) {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: keep the defaults
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
        } catch (IOException e) {
            // fall through to the path comparison
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    private static void writeWith(String format, BufferedImage img, ImageOutputStream ios, Float quality)
            throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        if (!writers.hasNext()) {
            throw new IOException("no " + format + " writer");
        }
        ImageWriter writer = writers.next();
        try {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (quality != null && param.canWriteCompressed()) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
            }
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    /** A BufferedImage over the same int[] (no copy); without alpha the top byte is ignored. */
    static BufferedImage wrap(RgbaImage image, boolean alpha) {
        DirectColorModel cm = alpha
                ? new DirectColorModel(32, 0x00FF0000, 0x0000FF00, 0x000000FF, 0xFF000000)
                : new DirectColorModel(24, 0x00FF0000, 0x0000FF00, 0x000000FF, 0);
        DataBufferInt buffer = new DataBufferInt(image.argb(), image.argb().length);
        WritableRaster raster = Raster.createPackedRaster(buffer, image.width(), image.height(), image.width(),
                cm.getMasks(), null);
        return new BufferedImage(cm, raster, false, null);
    }

    /** JPEG has no alpha: composite over white, as most viewers show transparency. */
    static RgbaImage overWhite(RgbaImage image) {
        int[] src = image.argb();
        int[] out = new int[src.length];
        for (int i = 0; i < src.length; i++) {
            int p = src[i];
            int a = p >>> 24;
            int r = ((p >> 16) & 0xFF) * a + 255 * (255 - a);
            int g = ((p >> 8) & 0xFF) * a + 255 * (255 - a);
            int b = (p & 0xFF) * a + 255 * (255 - a);
            out[i] = 0xFF000000 | (r + 127) / 255 << 16 | (g + 127) / 255 << 8 | (b + 127) / 255;
        }
        return new RgbaImage(image.width(), image.height(), out);
    }
}
