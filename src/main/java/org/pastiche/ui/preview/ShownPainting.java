package org.pastiche.ui.preview;

import java.util.Objects;
import org.pastiche.imaging.RgbaImage;

/**
 * The painting on show, as one value: its style, its quality and its pixels always go together, so
 * a listener never sees an image with the style or quality of another.
 */
public record ShownPainting(String styleId, PreviewQuality quality, RgbaImage image) {
    public ShownPainting {
        Objects.requireNonNull(styleId, "styleId");
        Objects.requireNonNull(quality, "quality");
        Objects.requireNonNull(image, "image");
    }

    /** True for a picture good enough to export or copy (not the quick low-resolution pass). */
    public boolean isSharp() {
        return quality != PreviewQuality.QUICK;
    }
}
