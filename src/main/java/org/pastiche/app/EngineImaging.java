package org.pastiche.app;

import java.nio.file.Path;
import java.util.Collection;
import org.pastiche.core.PasticheException;
import org.pastiche.imaging.ImageDecoder;
import org.pastiche.imaging.ImageExporter;
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
    public void export(RgbaImage image, Path target, ExportFormat format, float quality, Collection<Path> protect)
            throws PasticheException {
        // The exporter picks the format from the extension; the dialog keeps the two in step.
        ImageExporter.write(image, target, Math.max(0.01f, Math.min(1f, quality)), protect);
    }
}
