package org.pastiche.ui.preview;

import java.util.List;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.PasticheException;
import org.pastiche.core.ProgressListener;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.StrokeScale;
import org.pastiche.inference.StrokeStylizer;
import org.pastiche.inference.Stylizer;

/**
 * Paints at the stroke size the person chose (the side panel's control), the same way for the 100 %
 * view and the export: a {@link StrokeStylizer} is asked for that scale per call; any other stylizer
 * (or no scale) paints as it always does.
 */
public final class StrokePainting {
    /** The sizes offered in the side panel, finest to boldest, then the network at the photo's own size. */
    public static final List<StrokeScale> OFFERED = List.of(StrokeScale.of(0.5), StrokeScale.of(0.75),
            StrokeScale.DEFAULT, StrokeScale.of(1.5), StrokeScale.of(2), StrokeScale.NATIVE);

    private StrokePainting() {
    }

    /** The scale {@code stylizer} paints at by itself: a stroke stylizer's, else {@link StrokeScale#NATIVE}. */
    public static StrokeScale scaleOf(Stylizer stylizer) {
        return stylizer instanceof StrokeStylizer strokes ? strokes.scale() : StrokeScale.NATIVE;
    }

    /** {@code source} painted in {@code styleId} at {@code scale} (null: the stylizer's own). */
    public static RgbaImage stylize(Stylizer stylizer, RgbaImage source, String styleId, StrokeScale scale,
            ProgressListener progress, CancellationToken cancel) throws PasticheException {
        return stylizer instanceof StrokeStylizer strokes && scale != null
                ? strokes.stylize(source, styleId, scale, progress, cancel)
                : stylizer.stylize(source, styleId, progress, cancel);
    }
}
