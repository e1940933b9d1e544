package org.pastiche.ui.preview;

import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.StyleOptions;

/**
 * A painting: the network's raw output with the picture it was run on, so that strength and
 * keep-colours can be applied again without the network, and the finished result for those options.
 */
public record Rendered(String styleId, PreviewQuality quality, RgbaImage source, RgbaImage raw,
                       StyleOptions options, RgbaImage finished) {

    /** The same painting finished for other options. */
    public Rendered refinished(StyleOptions newOptions, RgbaImage newFinished) {
        return new Rendered(styleId, quality, source, raw, newOptions, newFinished);
    }

    /** What the compare view shows of it. */
    public ShownPainting shown() {
        return new ShownPainting(styleId, quality, finished);
    }
}
