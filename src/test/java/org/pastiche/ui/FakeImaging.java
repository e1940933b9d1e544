package org.pastiche.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pastiche.core.PasticheException;
import org.pastiche.imaging.ImageExporter.Format;
import org.pastiche.imaging.RgbaImage;

/**
 * Test double: "decodes" any file to a gradient of 800x600, except names containing "broken" (a
 * corrupt file, with its reason code) or "strange" (a failure without a code).
 */
public final class FakeImaging implements ImagingService {
    public record Export(RgbaImage image, Path target, Format format, float quality) { }

    public final List<Export> exports = new ArrayList<>();
    /** Thrown by the next export, if set (then cleared). */
    public PasticheException failure;

    public static RgbaImage photo(int width, int height, int seed) {
        int[] px = new int[width * height];
        for (int i = 0; i < px.length; i++) {
            px[i] = 0xFF000000 | ((i * 7 + seed) & 0xFFFFFF);
        }
        return new RgbaImage(width, height, px);
    }

    @Override
    public RgbaImage load(Path file) throws PasticheException {
        fullLoads++;
        return decode(file);
    }

    private RgbaImage decode(Path file) throws PasticheException {
        if (file.getFileName().toString().contains("broken")) {
            throw new PasticheException(PasticheException.Reason.CORRUPT_FILE, file + ": the file is truncated or corrupt");
        }
        if (file.getFileName().toString().contains("strange")) {
            throw new PasticheException(file + ": something strange happened");
        }
        return photo(800, 600, file.getFileName().toString().hashCode());
    }

    public int fullLoads;

    @Override
    public RgbaImage loadPreview(Path file, int maxLongSide) throws PasticheException {
        return fit(decode(file), maxLongSide);
    }

    @Override
    public RgbaImage fit(RgbaImage image, int maxLongSide) {
        int longSide = Math.max(image.width(), image.height());
        if (longSide <= maxLongSide) {
            return image;
        }
        double k = (double) maxLongSide / longSide;
        int w = Math.max(1, (int) Math.round(image.width() * k));
        int h = Math.max(1, (int) Math.round(image.height() * k));
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = image.get(x * image.width() / w, y * image.height() / h);
            }
        }
        return new RgbaImage(w, h, px);
    }

    @Override
    public void export(RgbaImage image, Path target, Format format, float quality,
                       java.util.Collection<Path> protect) throws PasticheException {
        // As the real exporter: the format written is the one the name says, and it must be the one chosen.
        Format written = Format.forPath(target).orElseThrow(() -> new PasticheException(
                PasticheException.Reason.UNSUPPORTED_OUTPUT_TYPE, target + ": unsupported output type"));
        if (written != format) {
            throw new PasticheException(PasticheException.Reason.UNSUPPORTED_OUTPUT_TYPE, target + ": not " + format);
        }
        if (failure != null) {
            PasticheException e = failure;
            failure = null;
            throw e;
        }
        exports.add(new Export(image, target, written, quality));
        try {
            Files.writeString(target, format + " " + image.width() + "x" + image.height());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
