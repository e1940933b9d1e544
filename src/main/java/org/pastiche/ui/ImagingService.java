package org.pastiche.ui;

import java.nio.file.Path;
import java.util.Collection;
import org.pastiche.core.PasticheException;
import org.pastiche.imaging.ImageExporter.Format;
import org.pastiche.imaging.RgbaImage;

/** What the app needs from the imaging package: decode, scale for previews, and export. */
public interface ImagingService {

    /** Decodes a photo (orientation applied); a {@link PasticheException} names the file and the reason. */
    RgbaImage load(Path file) throws PasticheException;

    /**
     * Decodes a photo for the screen: long side at most {@code maxLongSide}, much faster than
     * {@link #load} for large files (the decoder skips pixels).
     */
    RgbaImage loadPreview(Path file, int maxLongSide) throws PasticheException;

    /** {@code image} scaled down so that its long side is at most {@code maxLongSide}; never scaled up. */
    RgbaImage fit(RgbaImage image, int maxLongSide);

    /**
     * Writes {@code image} atomically in {@code format}, which the target's extension must name (else
     * nothing is written); {@code quality} in 0..1 applies to JPEG only. Refuses to write over any of
     * {@code protect} (the photo the painting came from).
     */
    void export(RgbaImage image, Path target, Format format, float quality, Collection<Path> protect)
            throws PasticheException;
}
