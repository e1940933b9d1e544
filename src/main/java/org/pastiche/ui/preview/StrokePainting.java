package org.pastiche.ui.preview;

import java.util.List;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.PasticheException;
import org.pastiche.core.ProgressListener;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.StrokeScale;
import org.pastiche.inference.StrokeStylizer;
import org.pastiche.inference.Stylizer;
import org.pastiche.ui.photo.PhotoSession;

/**
 * Paints at the stroke size the person chose (the side panel's control), the same way for the preview,
 * the 100 % view and the export: a {@link StrokeStylizer} is asked for that scale per call; any other
 * stylizer (or no scale) paints as it always does. A preview is the whole photo at a smaller size, so it
 * is painted with the network at the size the whole photo would get ({@link #previewNetworkSize}) and
 * brought to its own: it looks like the export scaled down.
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

    /**
     * The size at which the network paints {@code source}, the preview or the quick copy of {@code photo}, so that
     * it looks like the photo painted at {@code scale} (100 %, export) scaled down to it: the network sees the
     * picture at the long side it gets for the whole photo ({@link StrokeScale#networkSize}; for native the
     * original's, known once decoded, else the preview's own), at most {@link StrokeScale#MAX_UPSCALE} times the
     * preview's. The quick copy keeps that ratio to the sharp preview, at most {@value #QUICK_MAX_UPSCALE} times its
     * own size (it is the quick one). The source's own size for a null scale, or within 2 % of it.
     */
    public static StrokeScale.Size previewNetworkSize(StrokeScale scale, RgbaImage source, PhotoSession photo) {
        int own = Math.max(source.width(), source.height());
        if (scale == null) {
            return new StrokeScale.Size(source.width(), source.height());
        }
        int preview = Math.max(photo.preview().width(), photo.preview().height());
        RgbaImage whole = photo.hasOriginal() ? photo.original() : photo.preview();
        StrokeScale.Size forWhole = scale.networkSize(whole.width(), whole.height());
        double sharp = Math.min(Math.max(forWhole.width(), forWhole.height()), StrokeScale.MAX_UPSCALE * preview);
        double factor = own >= preview ? sharp / own : Math.min(QUICK_MAX_UPSCALE, sharp / preview);
        if (Math.abs(factor - 1) <= SAME_SIZE) {
            return new StrokeScale.Size(source.width(), source.height());
        }
        return new StrokeScale.Size(side(source.width(), factor), side(source.height(), factor));
    }

    /** The quick pass stays quick: its network at most this many times its own long side. */
    static final double QUICK_MAX_UPSCALE = 2;
    private static final double SAME_SIZE = 0.02;

    private static int side(int own, double factor) {
        return Math.max((int) Math.round(own * factor), Math.min(own, StrokeScale.MIN_SIDE));
    }

    /**
     * {@code source} (a preview of {@code photo}) painted in {@code styleId} so that it looks like the export at
     * {@code scale} scaled down ({@link #previewNetworkSize}); any stylizer but a {@link StrokeStylizer}, or a
     * null scale, paints it at its own size.
     */
    public static RgbaImage stylizePreview(Stylizer stylizer, RgbaImage source, PhotoSession photo, String styleId,
            StrokeScale scale, CancellationToken cancel) throws PasticheException {
        if (stylizer instanceof StrokeStylizer strokes) {
            return strokes.stylizeAt(source, styleId, previewNetworkSize(scale, source, photo), ProgressListener.NONE,
                    cancel);
        }
        return stylizer.stylize(source, styleId, ProgressListener.NONE, cancel);
    }
}
