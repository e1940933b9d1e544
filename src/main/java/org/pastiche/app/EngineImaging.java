package org.pastiche.app;

import java.nio.file.Path;
import java.util.Collection;
import org.pastiche.core.PasticheException;
import org.pastiche.core.PasticheException.Reason;
import org.pastiche.imaging.ImageDecoder;
import org.pastiche.imaging.ImageExporter;
import org.pastiche.imaging.ImageExporter.Format;
import org.pastiche.imaging.Resize;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.ui.ImagingService;

/** The UI's imaging needs, served by the engine's decoder, resizer and atomic exporter. */
final class EngineImaging implements ImagingService {
    private final ImageDecoder decoder = new ImageDecoder();

    @Override
    public RgbaImage load(Path file) throws PasticheException {
        return decoder.decode(file);
    }

    @Override
    public RgbaImage loadPreview(Path file, int maxLongSide) throws PasticheException {
        return decoder.decodePreview(file, maxLongSide);
    }

    @Override
    public RgbaImage fit(RgbaImage image, int maxLongSide) {
        return Resize.fitLongSide(image, maxLongSide);
    }

    @Override
    public void export(RgbaImage image, Path target, Format format, float quality, Collection<Path> protect)
            throws PasticheException {
        // The exporter writes the format the extension names: a name that names another is refused,
        // so that the chosen format is never silently replaced.
        Format named = Format.forPath(target).orElseThrow(() -> new PasticheException(Reason.UNSUPPORTED_OUTPUT_TYPE,
                target + ": unsupported output type; use .png, .jpg or .jpeg"));
        if (named != format) {
            throw new PasticheException(Reason.UNSUPPORTED_OUTPUT_TYPE,
                    target + ": the name is for " + named + " but " + format + " was chosen");
        }
        ImageExporter.write(image, target, Math.max(0.01f, Math.min(1f, quality)), protect);
    }
}
